import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { renderSlice, slicePlane } from '../../widgets/src/density-slice.js';
import { DENSITY_SLICE_ESM } from '../../kernel-ext/src/widgets/generated/density-slice-esm.js';
import { DensitySlice, subsample } from '../../kernel-ext/src/widgets/density-slice.js';
import { staticBundle, htmlTable, show } from '../../src/notebook/show.js';
import { encodePng } from '../../src/notebook/png.js';
import { Volume } from '../../src/grid/volume.js';

/** 4x3x2 volume whose value is 100*z + 10*y + x. */
function ramp(): Volume {
  const v = Volume.create({ shape: [2, 3, 4], voxelSizeA: [1.5, 2, 2.5], originA: [10, 20, 30] });
  for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) v.data[Volume.offset(v, x, y, z)] = 100 * z + 10 * y + x;
  return v;
}

describe('DensitySlice front-end rendering', () => {
  it('maps plane pixels to voxels for each axis', () => {
    assert.deepEqual(slicePlane([2, 3, 4], 'z').voxel(1, 2, 1), [1, 2, 1]);
    assert.deepEqual(slicePlane([2, 3, 4], 'y').voxel(3, 1, 2), [3, 2, 1]);
    const px = slicePlane([2, 3, 4], 'x');
    assert.deepEqual([px.width, px.height, ...px.voxel(2, 1, 3)], [3, 2, 3, 2, 1]);
  });
  it('draws grey levels between vmin and vmax, flipped so y points up, and a contour line', () => {
    const v = ramp();
    const img = renderSlice(v.data, [2, 3, 4], 'z', 1, 100, 123, null);
    assert.equal(img.width, 4);
    assert.equal(img.height, 3);
    // Top-left pixel is y = 2 (value 120): (120-100)*255/23 = 221.7
    assert.equal(img.rgba[0], 222);
    // Bottom-left pixel is y = 0 (value 100): black
    assert.equal(img.rgba[(2 * 4 + 0) * 4], 0);
    const c = renderSlice(v.data, [2, 3, 4], 'z', 1, 100, 123, 111.5);
    // >= 111.5: row y=1 for x >= 2, all of row y=2. Pixels whose right or upper neighbour is on the
    // other side: (2,0), (3,0), (0,1), (1,1).
    let orange = 0;
    for (let i = 0; i < c.rgba.length; i += 4) if (c.rgba[i] === 255 && c.rgba[i + 1] === 140) orange++;
    assert.equal(orange, 4);
  });
  it('ships an up-to-date ES module to the kernel', async () => {
    const { esmSource } = await import('../../widgets/build.mjs');
    assert.equal(DENSITY_SLICE_ESM, await esmSource(), 'run `npm run build:widgets` after editing widgets/src/density-slice.ts');
    assert.match(DENSITY_SLICE_ESM, /export\s*\{[^}]*as default/);
  });
});

describe('DensitySlice kernel model (no kernel)', () => {
  it('holds an anywidget state with the volume as a Float32Array buffer', () => {
    const v = ramp();
    const w = new DensitySlice(v, { contour: 105 });
    assert.equal(w.get('_model_module'), 'anywidget');
    assert.equal(w.get('_esm'), DENSITY_SLICE_ESM);
    assert.deepEqual(w.get('shape'), [2, 3, 4]);
    assert.equal(w.get('index'), 1);
    assert.equal(w.get('data'), v.data);
    const full = w.fullState();
    assert.deepEqual(full.bufferPaths, [['data']]);
    w.set('index', 9);
    assert.equal(w.get('index'), 1, 'index clamped to the slice count');
  });
  it('subsamples large maps by an integer stride and reports clicks in the original grid', () => {
    const v = Volume.create({ shape: [10, 10, 10], voxelSizeA: [1, 1, 1], originA: [0, 0, 0] });
    v.data[Volume.offset(v, 4, 6, 8)] = 7;
    const s = subsample(v, 2);
    assert.deepEqual(s.shape, [5, 5, 5]);
    assert.deepEqual(s.voxelSizeA, [2, 2, 2]);
    assert.equal(s.data[Volume.offset(s, 2, 3, 4)], 7);
    const w = new DensitySlice(v, { maxVoxels: 200 });
    assert.equal(w.stride, 2);
  });
});

describe('show() static renderings', () => {
  it('renders records and headers as HTML tables, volumes as a PNG', () => {
    assert.equal(htmlTable([{ a: 1, b: 'x<y' }, { a: 2.5 }]), '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>x&lt;y</td></tr><tr><td>2.50000</td><td>undefined</td></tr></tbody></table>');
    const b = staticBundle(ramp());
    const png = Buffer.from(b['image/png'], 'base64');
    assert.equal(png.readUInt32BE(16), 4);
    assert.equal(png.readUInt32BE(20), 3);
    assert.match(b['text/plain'], /Volume 4x3x2/);
    // Outside the kernel show() publishes nothing and says so.
    assert.equal(show({ NC: 4 }), false);
    assert.deepEqual(Object.keys(staticBundle({ NC: 4 })).sort(), ['text/html', 'text/plain']);
  });
  it('encodes a PNG whose IDAT inflates to the filtered rows', () => {
    const png = encodePng(2, 2, new Uint8Array([0, 255, 128, 64]));
    const len = png.readUInt32BE(33);
    const idat = inflateSync(png.subarray(41, 41 + len));
    assert.deepEqual(Array.from(idat), [0, 0, 255, 0, 128, 64]);
    // A file browsers accept: signature, IHDR 2x2 8-bit greyscale, and every chunk's CRC-32 (checked
    // with zlib's, not the encoder's own table) over type + data; the stream ends with IEND.
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: string[] = [];
    for (let off = 8; off < png.length;) {
      const n = png.readUInt32BE(off);
      const type = png.subarray(off + 4, off + 8).toString('latin1');
      assert.equal(png.readUInt32BE(off + 8 + n), crc32(png.subarray(off + 4, off + 8 + n)), `${type} CRC`);
      chunks.push(type);
      off += 12 + n;
      assert.ok(off <= png.length, 'chunk inside the file');
    }
    assert.deepEqual(chunks, ['IHDR', 'IDAT', 'IEND']);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [2, 2, 8, 0]);
  });
});
