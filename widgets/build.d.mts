/** Types of widgets/build.mjs (the widget front-end build). */
export declare function esmSource(): Promise<string>;
export declare function esmModuleText(esm: string): string;
export declare const ESM_MODULE_PATH: string;
export declare function buildEsm(outDir?: string): Promise<void>;
export declare function buildEmbed(outDir?: string): Promise<void>;
