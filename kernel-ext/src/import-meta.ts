/**
 * tslab compiles the project's .ts files that a cell imports into CommonJS "side outputs" but leaves
 * `import.meta` in them (src/detect/registry.ts finds models/ through `import.meta.url`). CommonJS
 * cannot parse it, Node 20 then retries the file as an ES module and fails on `exports` ("exports is
 * not defined in ES module scope"). The kernel therefore rewrites `import.meta.url / .dirname /
 * .filename` to their CommonJS equivalents when such a file is compiled (never in node_modules).
 */
import Module from 'node:module';
import { sep } from 'node:path';

/** CommonJS text with `import.meta.{url,dirname,filename}` replaced; unchanged when there is none. */
export function rewriteImportMeta(content: string): string {
  if (!content.includes('import.meta')) return content;
  return content
    .replace(/\bimport\.meta\.url\b/g, 'require("url").pathToFileURL(__filename).href')
    .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
    .replace(/\bimport\.meta\.filename\b/g, '__filename');
}

let installed = false;

/** Hooks Module.prototype._compile once per process. */
export function installImportMetaRewrite(): void {
  if (installed) return;
  installed = true;
  const proto = (Module as unknown as { prototype: { _compile(content: string, filename: string): unknown } }).prototype;
  const original = proto._compile;
  proto._compile = function (this: unknown, content: string, filename: string) {
    const own = !filename.includes(`${sep}node_modules${sep}`);
    return original.call(this, own ? rewriteImportMeta(content) : content, filename);
  };
}
