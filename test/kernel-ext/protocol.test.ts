/**
 * Protocol tests: the cryoread kernel driven over ZMQ from Node (no Python): comms, widget state with
 * binary buffers, echo_update, comm_info, control comm, execute_input, malformed messages.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KernelClient } from './kernel-client.js';
import { serializeMessage, DELIMITER, type JupyterHeader } from '../../kernel-ext/src/wire.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('cryoread kernel over ZMQ', { timeout: 180_000 }, () => {
  const k = new KernelClient();
  before(async () => {
    await k.start(join(ROOT, 'notebooks'));
  });
  after(async () => {
    await k.stop();
  });

  it('runs a cell from the notebooks dir with the project root as cwd, publishing execute_input', async () => {
    const r = await k.execute('console.log(process.cwd()); 6 * 7');
    assert.equal(r.reply.content.status, 'ok', r.stderr);
    assert.match(r.stdout, /42/);
    assert.ok(r.stdout.includes(ROOT));
    const input = r.iopub.find((m) => m.header.msg_type === 'execute_input');
    assert.ok(input, 'execute_input published');
    assert.equal(input!.content.code, 'console.log(process.cwd()); 6 * 7');
    assert.equal(input!.content.execution_count, r.reply.content.execution_count);
  });

  let sliderId = '';
  it('opens a widget comm parented to the execute request, with state, versions and buffers', async () => {
    const r = await k.execute(`
import { IntSlider, Widget } from './kernel-ext/src/index.js';
const s = new IntSlider({ value: 7, min: 0, max: 20, description: 'slice' });
const log = { seen: [] as number[], received: [] as number[] };
s.observe('value', (c) => { log.seen.push(c.new as number); });
const blob = new Widget({ _model_name: 'TestModel', _model_module: 'test-mod', _model_module_version: '1.0.0', _view_name: 'TestView', _view_module: 'test-mod', _view_module_version: '1.0.0' },
  { data: new Float32Array([1.5, -2, 3.25]), nested: { list: [1, new Uint8Array([9, 8])] } });
blob.observe('data', (c) => { const u = c.new as Uint8Array; log.received = Array.from(new Float32Array(u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength))); });
s.display();
`);
    assert.equal(r.reply.content.status, 'ok', r.stdout + r.stderr);
    const opens = r.iopub.filter((m) => m.header.msg_type === 'comm_open');
    assert.equal(opens.length, 2);
    for (const o of opens) {
      assert.equal(o.content.target_name, 'jupyter.widget');
      assert.deepEqual(o.metadata, { version: '2.1.0' });
      assert.equal((o.parent_header as JupyterHeader).msg_id, r.msgId);
    }
    const slider = opens.find((o) => (o.content.data as { state: { _model_name: string } }).state._model_name === 'IntSliderModel')!;
    const st = (slider.content.data as { state: Record<string, unknown> }).state;
    assert.equal(st._model_module, '@jupyter-widgets/controls');
    assert.equal(st._model_module_version, '2.0.0');
    assert.equal(st._view_name, 'IntSliderView');
    assert.equal(st._view_module, '@jupyter-widgets/controls');
    assert.equal(st._view_module_version, '2.0.0');
    assert.equal(st.value, 7);
    assert.equal(st.max, 20);
    assert.equal(st.description, 'slice');
    sliderId = String(slider.content.comm_id);

    const blob = opens.find((o) => o !== slider)!;
    const bd = blob.content.data as { state: Record<string, unknown>; buffer_paths: unknown };
    assert.deepEqual(bd.buffer_paths, [['data'], ['nested', 'list', 1]]);
    assert.equal('data' in bd.state, false);
    assert.deepEqual(bd.state.nested, { list: [1, null] });
    assert.equal(blob.buffers.length, 2);
    assert.deepEqual(Array.from(new Float32Array(blob.buffers[0].buffer.slice(blob.buffers[0].byteOffset, blob.buffers[0].byteOffset + 12))), [1.5, -2, 3.25]);
    assert.deepEqual(Array.from(blob.buffers[1]), [9, 8]);

    const disp = r.iopub.find((m) => m.header.msg_type === 'display_data')!;
    assert.ok(disp);
    assert.equal((disp.parent_header as JupyterHeader).msg_id, r.msgId);
    assert.deepEqual((disp.content.data as Record<string, unknown>)['application/vnd.jupyter.widget-view+json'], { version_major: 2, version_minor: 0, model_id: sliderId });
  });

  it('applies a front-end update, echoes it, clamps and notifies observers seen by a later cell', async () => {
    const id = k.send('shell', 'comm_msg', { comm_id: sliderId, data: { method: 'update', state: { value: 12 }, buffer_paths: [] } });
    const io = await k.iopubFor(id);
    const types = io.map((m) => m.header.msg_type);
    assert.equal(types[0], 'status');
    assert.equal(types[types.length - 1], 'status');
    const echo = io.find((m) => m.header.msg_type === 'comm_msg')!;
    assert.deepEqual(echo.content.data, { method: 'echo_update', state: { value: 12 }, buffer_paths: [] });
    // Out of range: echoed as sent, then corrected by an update to max.
    const id2 = k.send('shell', 'comm_msg', { comm_id: sliderId, data: { method: 'update', state: { value: 99 }, buffer_paths: [] } });
    const io2 = (await k.iopubFor(id2)).filter((m) => m.header.msg_type === 'comm_msg');
    assert.deepEqual(io2.map((m) => (m.content.data as { method: string }).method), ['echo_update', 'update']);
    assert.deepEqual((io2[1].content.data as { state: unknown }).state, { value: 20 });
    const r = await k.execute('console.log(JSON.stringify({ value: s.value, seen: log.seen }))');
    assert.deepEqual(JSON.parse(r.stdout.trim()), { value: 20, seen: [12, 20] });
  });

  it('receives a binary buffer update and echoes the buffer back', async () => {
    const r0 = await k.execute('console.log(blob.modelId)');
    const blobId = r0.stdout.trim();
    const f = new Float32Array([0.5, 4, -8]);
    const id = k.send('shell', 'comm_msg', { comm_id: blobId, data: { method: 'update', state: {}, buffer_paths: [['data']] } }, [f]);
    const io = await k.iopubFor(id);
    const echo = io.find((m) => m.header.msg_type === 'comm_msg')!;
    assert.deepEqual(echo.content.data, { method: 'echo_update', state: {}, buffer_paths: [['data']] });
    assert.deepEqual(Array.from(new Float32Array(echo.buffers[0].buffer.slice(echo.buffers[0].byteOffset, echo.buffers[0].byteOffset + 12))), [0.5, 4, -8]);
    const r = await k.execute('console.log(JSON.stringify(log.received))');
    assert.deepEqual(JSON.parse(r.stdout.trim()), [0.5, 4, -8]);
  });

  it('answers request_state and custom messages', async () => {
    const id = k.send('shell', 'comm_msg', { comm_id: sliderId, data: { method: 'request_state' } });
    const up = (await k.iopubFor(id)).find((m) => m.header.msg_type === 'comm_msg')!;
    const d = up.content.data as { method: string; state: Record<string, unknown> };
    assert.equal(d.method, 'update');
    assert.equal(d.state.value, 20);
    assert.equal(d.state._model_name, 'IntSliderModel');
    await k.execute(`blob.onCustom((c, b) => blob.send({ got: c, n: b.length }))`);
    const r0 = await k.execute('console.log(blob.modelId)');
    const id2 = k.send('shell', 'comm_msg', { comm_id: r0.stdout.trim(), data: { method: 'custom', content: { click: [3, 4] } } }, [new Uint8Array([1])]);
    const c = (await k.iopubFor(id2)).find((m) => m.header.msg_type === 'comm_msg')!;
    assert.deepEqual(c.content.data, { method: 'custom', content: { got: { click: [3, 4] }, n: 1 } });
  });

  it('parents comm messages to the cell that runs, with requests queued at once (Run All)', async () => {
    const code = (n: number) => `await new Promise((r) => setTimeout(r, ${n}));\nnew IntSlider({ value: ${n}, max: 1000 }).close();`;
    const ids = [k.send('shell', 'execute_request', { code: code(300), silent: false, store_history: true }), k.send('shell', 'execute_request', { code: code(5), silent: false, store_history: true })];
    for (const [i, id] of ids.entries()) {
      const io = await k.iopubFor(id);
      const open = io.find((m) => m.header.msg_type === 'comm_open');
      assert.ok(open, `cell ${i} opened its comm under its own request`);
      assert.equal(((open!.content.data as { state: { value: number } }).state.value), i === 0 ? 300 : 5);
      assert.ok(io.some((m) => m.header.msg_type === 'comm_close'));
    }
    await k.shellReply(ids[0]);
    await k.shellReply(ids[1]);
  });

  it('links a slider to a DensitySlice through the kernel and reports voxel clicks', async () => {
    const r = await k.execute(`
import { DensitySlice } from './kernel-ext/src/index.js';
import { Volume } from './src/grid/volume.js';
const vol = Volume.create({ shape: [4, 3, 2], voxelSizeA: [2, 2, 2], originA: [1, 1, 1] });
vol.data[Volume.offset(vol, 1, 2, 3)] = 5;
const ds = new DensitySlice(vol);
const zs = new IntSlider({ max: 3, value: ds.get<number>('index') });
zs.observe('value', (c) => ds.set('index', c.new));
const clicks: string[] = [];
ds.onVoxelClick((c) => { clicks.push(JSON.stringify(c)); });
console.log(JSON.stringify([zs.modelId, ds.modelId]));`);
    assert.equal(r.reply.content.status, 'ok', r.stdout + r.stderr);
    const [zsId, dsId] = JSON.parse(r.stdout.trim()) as [string, string];
    const dsOpen = r.iopub.find((m) => m.header.msg_type === 'comm_open' && m.content.comm_id === dsId)!;
    const st = (dsOpen.content.data as { state: Record<string, unknown> }).state;
    assert.equal(st._model_name, 'AnyModel');
    assert.equal(st._model_module, 'anywidget');
    assert.equal(typeof st._esm, 'string');
    assert.deepEqual(st.shape, [4, 3, 2]);
    assert.equal(dsOpen.buffers[0].byteLength, 24 * 4);
    const id = k.send('shell', 'comm_msg', { comm_id: zsId, data: { method: 'update', state: { value: 3 }, buffer_paths: [] } });
    const io = await k.iopubFor(id);
    const viewUpdate = io.find((m) => m.header.msg_type === 'comm_msg' && m.content.comm_id === dsId);
    assert.deepEqual(viewUpdate?.content.data, { method: 'update', state: { index: 3 }, buffer_paths: [] });
    const click = k.send('shell', 'comm_msg', { comm_id: dsId, data: { method: 'custom', content: { event: 'click', voxel: [1, 2, 3] } } });
    await k.iopubFor(click);
    const out = await k.execute('console.log(clicks[0])');
    assert.deepEqual(JSON.parse(out.stdout.trim()), { voxel: [1, 2, 3], positionA: [3, 5, 7], value: 5 });
  });

  it('lists comms in comm_info_reply (status ok)', async () => {
    const id = k.send('shell', 'comm_info_request', { target_name: 'jupyter.widget' });
    const rep = await k.shellReply(id);
    assert.equal(rep.header.msg_type, 'comm_info_reply');
    assert.equal(rep.content.status, 'ok');
    assert.deepEqual((rep.content.comms as Record<string, unknown>)[sliderId], { target_name: 'jupyter.widget' });
    assert.equal(Object.keys(rep.content.comms as object).length, 4);
  });

  it('answers the control comm request_states with update_states including buffers', async () => {
    const commId = 'control-' + Date.now();
    const open = k.send('shell', 'comm_open', { comm_id: commId, target_name: 'jupyter.widget.control', data: {} }, [], { version: '1.0.0' });
    await k.iopubFor(open);
    const id = k.send('shell', 'comm_msg', { comm_id: commId, data: { method: 'request_states' } });
    const m = (await k.iopubFor(id)).find((x) => x.header.msg_type === 'comm_msg')!;
    const d = m.content.data as { method: string; states: Record<string, { model_name: string; state: Record<string, unknown> }>; buffer_paths: unknown[][] };
    assert.equal(d.method, 'update_states');
    assert.equal(d.states[sliderId].model_name, 'IntSliderModel');
    assert.equal(d.states[sliderId].state.value, 20);
    assert.equal(d.buffer_paths.length, 3);
    assert.equal(m.buffers.length, 3);
  });

  it('closes a comm opened for an unknown target', async () => {
    const id = k.send('shell', 'comm_open', { comm_id: 'zzz', target_name: 'no.such.target', data: {} });
    const io = await k.iopubFor(id);
    const close = io.find((m) => m.header.msg_type === 'comm_close');
    assert.equal(close?.content.comm_id, 'zzz');
  });

  it('survives malformed messages: bad HMAC, unknown comm id, invalid JSON', async () => {
    const header = k.header('kernel_info_request');
    const good = serializeMessage({ identities: [], header, parent_header: {}, metadata: {}, content: {} }, k.key);
    const badSig = [...good];
    badSig[1] = Buffer.from('0'.repeat(64));
    k.sendRaw(badSig);
    const unknown = k.send('shell', 'comm_msg', { comm_id: 'does-not-exist', data: { method: 'update', state: { value: 1 } } });
    const unknownIo = await k.iopubFor(unknown);
    assert.deepEqual(unknownIo.map((m) => m.content.execution_state), ['busy', 'idle']);
    // Invalid JSON content in a request: answered with an error reply and busy/idle.
    const h2 = k.header('kernel_info_request');
    const frames = serializeMessage({ identities: [], header: h2, parent_header: {}, metadata: {}, content: {} }, k.key);
    const json = [frames[2], frames[3], frames[4], Buffer.from('{not json')];
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', k.key);
    for (const f of json) sig.update(f);
    k.sendRaw([DELIMITER, Buffer.from(sig.digest('hex')), ...json]);
    const errRep = await k.shellReply(h2.msg_id);
    assert.equal(errRep.content.status, 'error');
    assert.equal(errRep.content.ename, 'InvalidMessage');
    const r = await k.execute('console.log("still alive")');
    assert.equal(r.stdout.trim(), 'still alive');
    assert.match(k.stderr, /HMAC signature does not match/);
    assert.match(k.stderr, /unknown comm id "does-not-exist"/);
    assert.match(k.stderr, /content frame is not a JSON object/);
    assert.equal(k.iopubLog.some((m) => (m.parent_header as JupyterHeader).msg_id === header.msg_id), false, 'bad-HMAC message got no answer');
  });
});
