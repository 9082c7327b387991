import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { selectNucleotideNodes } from '../../src/trace/spacing.js';
import { readStructure } from '../../src/io/structure-file.js';
import { Structure } from '../../src/structure/model.js';
import { sharedDataOrSkip } from '../helpers/shared-data.js';

test('spacing: nodes every 3 A along a line keep every second one; a 15 A gap splits the run', () => {
  const pts: [number, number, number][] = [];
  for (let k = 0; k < 11; k++) pts.push([3 * k, 0, 0]);
  for (let k = 0; k < 5; k++) pts.push([45 + 6 * k, 0, 0]);
  const runs = selectNucleotideNodes({ points: pts });
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0], [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(runs[1], [11, 12, 13, 14, 15]);
  assert.deepEqual(selectNucleotideNodes({ points: pts }, { enabled: false }), [pts.map((_, i) => i)]);
});

test("spacing: a 6V5B route with a decoy between every two C4' keeps the real nucleotides", (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(join(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const c4 = Structure.nucleotides(s).map(({ residue }) => residue.atoms.find((a) => a.name === "C4'")!).map((a) => [a.x, a.y, a.z] as [number, number, number]);
  const points: [number, number, number][] = [], density: number[] = [], real: boolean[] = [];
  c4.forEach((p, k) => {
    points.push(p); density.push(0.8); real.push(true);
    const q = c4[k + 1];
    if (q && Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) < 8) {
      // a decoy 1.2 A off the midpoint, weaker density
      points.push([(p[0] + q[0]) / 2 + 1.2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2]); density.push(0.4); real.push(false);
    }
  });
  const kept = selectNucleotideNodes({ points, density }).flat();
  const keptReal = kept.filter((i) => real[i]).length;
  assert.ok(keptReal >= 0.9 * c4.length, `${keptReal} of ${c4.length} real nucleotides kept`);
  assert.ok(keptReal >= 0.9 * kept.length, `${kept.length - keptReal} decoys among ${kept.length} kept`);
});
