/**
 * danfojs, loaded lazily (it takes ~1.5 s) and typed structurally: tslab's TypeScript 5.0 resolves
 * modules the node10 way and cannot find danfojs' declarations (its package.json has them only under
 * "exports"), so a cell that imports a module naming `danfojs` in a type fails to compile. The module
 * name is therefore never a literal here; the objects are the real danfojs ones.
 */
export interface DataFrame {
  readonly columns: string[];
  readonly values: unknown[][];
  readonly shape: number[];
  head(rows?: number): DataFrame;
  tail(rows?: number): DataFrame;
  sortValues(column: string, options?: { ascending?: boolean }): DataFrame;
  print(): void;
}

export interface Danfo {
  DataFrame: new (data: unknown, options?: { columns?: string[] }) => DataFrame;
}

const DANFO = 'danfojs';

export async function loadDanfo(): Promise<Danfo> {
  return (await import(DANFO)) as Danfo;
}
