import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteImportMeta } from '../../kernel-ext/src/import-meta.js';

describe('import.meta in tslab side outputs', () => {
  it('rewrites import.meta.url / dirname / filename to their CommonJS equivalents', () => {
    const src = 'const u = new URL("../../models/", import.meta.url); f(import.meta.dirname, import.meta.filename);';
    assert.equal(rewriteImportMeta(src), 'const u = new URL("../../models/", require("url").pathToFileURL(__filename).href); f(__dirname, __filename);');
    assert.equal(rewriteImportMeta('const x = 1;'), 'const x = 1;');
  });
  it('gives the same URL as the ES module would', () => {
    const fn = new Function('require', '__filename', `return ${rewriteImportMeta('import.meta.url')};`);
    assert.equal(fn((m: string) => (m === 'url' ? { pathToFileURL: (p: string) => new URL(`file://${p}`) } : null), '/a/b.js'), 'file:///a/b.js');
  });
});
