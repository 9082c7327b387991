import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseFrames, serializeMessage, newHeader, WireError, sign } from '../../kernel-ext/src/wire.js';
import { removeBuffers, putBuffers } from '../../kernel-ext/src/widgets/buffers.js';
import { tslabJupyter, tslabExecutor, tslabConverter, tslabVersion, HOOKED_SERVER_METHODS, HOOKED_HANDLER_METHODS } from '../../kernel-ext/src/tslab-internals.js';
import { IntSlider, FloatRangeSlider, Dropdown, link } from '../../kernel-ext/src/index.js';
import { LAUNCHER } from './kernel-client.js';

describe('wire', () => {
  it('signs the four JSON frames only and keeps buffers raw', () => {
    const header = newHeader('comm_msg', 's1');
    const buf = new Float32Array([1, 2]);
    const frames = serializeMessage({ identities: [Buffer.from('id')], header, parent_header: {}, metadata: {}, content: { a: 1 }, buffers: [buf] }, 'k');
    assert.equal(frames.length, 1 + 1 + 1 + 4 + 1);
    assert.equal(frames[2].toString(), sign('k', frames.slice(3, 7)));
    assert.equal(frames[7].byteLength, 8);
    const m = parseFrames(frames, 'k');
    assert.deepEqual(m.identities.map(String), ['id']);
    assert.deepEqual(m.content, { a: 1 });
    assert.deepEqual(Array.from(new Float32Array(m.buffers[0].buffer.slice(m.buffers[0].byteOffset, m.buffers[0].byteOffset + 8))), [1, 2]);
    // Changing a buffer does not break the signature; changing content does.
    frames[7] = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]);
    assert.doesNotThrow(() => parseFrames(frames, 'k'));
    frames[6] = Buffer.from('{"a":2}');
    assert.throws(() => parseFrames(frames, 'k'), (e: WireError) => e.kind === 'signature');
  });
  it('reports a missing delimiter and invalid JSON', () => {
    assert.throws(() => parseFrames([Buffer.from('x')], ''), (e: WireError) => e.kind === 'delimiter');
    const f = serializeMessage({ identities: [], header: newHeader('x', 's'), parent_header: {}, metadata: {}, content: {} }, '');
    f[5] = Buffer.from('[1');
    assert.throws(() => parseFrames(f, ''), (e: WireError) => e.kind === 'json' && e.header?.msg_type === 'x');
  });
});

describe('buffers', () => {
  it('removes binary values by path and puts them back', () => {
    const f = new Float32Array([3]);
    const u = new Uint8Array([1, 2]);
    const r = removeBuffers({ a: 1, data: f, l: [0, u, { x: f }] });
    assert.deepEqual(r.state, { a: 1, l: [0, null, {}] });
    assert.deepEqual(r.bufferPaths, [['data'], ['l', 1], ['l', 2, 'x']]);
    const back = putBuffers(r.state, r.bufferPaths, r.buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
    assert.equal((back.l as unknown[])[1] instanceof Uint8Array, true);
    assert.equal(((back.l as unknown[])[2] as { x: Uint8Array }).x.byteLength, 4);
  });
});

describe('controls without a kernel', () => {
  it('clamps, orders and maps values like ipywidgets', () => {
    const s = new IntSlider({ min: 0, max: 10, value: 4 });
    s.value = 12.6;
    assert.equal(s.value, 10);
    s.value = 3.4;
    assert.equal(s.value, 3);
    const r = new FloatRangeSlider({ min: 0, max: 1, value: [0.9, 0.2] });
    assert.deepEqual(r.value, [0.2, 0.9]);
    const d = new Dropdown({ options: [['x axis', 2], ['z axis', 0]], value: 0 });
    assert.equal(d.get('index'), 1);
    d.value = 2;
    assert.equal(d.get('index'), 0);
    assert.throws(() => new Dropdown({ options: ['a'], value: 'b' }), /not one of the options/);
    assert.throws(() => new IntSlider({ min: 5, max: 1 }), /min 5 > max 1/);
    const t = new IntSlider({ max: 100 });
    link([s, 'value'], [t, 'value']);
    s.value = 7;
    assert.equal(t.value, 7);
    t.value = 2;
    assert.equal(s.value, 2);
  });
});

describe('tslab hook surface (tslab pinned exactly)', () => {
  it('still has the internals the launcher uses', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pkg.dependencies.tslab, tslabVersion, 'tslab must be pinned to the exact version installed');
    assert.equal(typeof tslabJupyter.ZmqServer, 'function');
    assert.equal(typeof tslabJupyter.JupyterHandlerImpl, 'function');
    for (const m of HOOKED_SERVER_METHODS) assert.equal(typeof (tslabJupyter.ZmqServer.prototype as unknown as Record<string, unknown>)[m], 'function', `ZmqServer.${m}`);
    for (const m of HOOKED_HANDLER_METHODS) assert.equal(typeof (tslabJupyter.JupyterHandlerImpl.prototype as unknown as Record<string, unknown>)[m], 'function', `JupyterHandlerImpl.${m}`);
    assert.equal(typeof tslabExecutor.createExecutor, 'function');
    assert.equal(typeof tslabConverter.createConverter, 'function');
    // handleExecuteImpl reads `execCount` and assigns `lastWriteDisplayData`: check the source still does.
    const src = tslabJupyter.JupyterHandlerImpl.prototype['handleExecuteImpl' as keyof object] as unknown as () => void;
    assert.match(String(src), /execCount/);
  });
});

describe('cryoread-kernel install / uninstall', () => {
  it('writes the kernelspec under --prefix without Python and removes it', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'cryoread-ks-'));
    try {
      const r = spawnSync(process.execPath, [LAUNCHER, 'install', '--prefix', prefix, '--json'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { name: string; dir: string };
      assert.equal(out.name, 'cryoread');
      assert.equal(out.dir, join(prefix, 'share', 'jupyter', 'kernels', 'cryoread'));
      const spec = JSON.parse(readFileSync(join(out.dir, 'kernel.json'), 'utf8')) as { argv: string[]; display_name: string; language: string };
      assert.equal(spec.display_name, 'CryoREAD (TypeScript)');
      assert.equal(spec.language, 'typescript');
      assert.deepEqual(spec.argv.slice(1), [LAUNCHER, 'kernel', '--config-path', '{connection_file}']);
      const u = spawnSync(process.execPath, [LAUNCHER, 'uninstall', '--prefix', prefix, '--json'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(u.status, 0, u.stderr);
      assert.equal((JSON.parse(u.stdout) as { removed: boolean }).removed, true);
      assert.equal(existsSync(out.dir), false);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
