import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROBABILITY_CHANNELS, ProbabilityMaps, type ProbabilityChannel } from '../../src/grid/probability-maps.js';
import { Volume } from '../../src/grid/volume.js';
import { AtomClass, flattenAtoms, gridForStructure, oracleProbabilities } from '../../src/simulate/index.js';
import type { Structure } from '../../src/structure/model.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';

const CLASS_CH: Record<number, ProbabilityChannel> = { [AtomClass.Sugar]: 'sugar', [AtomClass.Phosphate]: 'phosphate', [AtomClass.Base]: 'base', [AtomClass.Protein]: 'protein' };
const TYPE_CH: ProbabilityChannel[] = ['A', 'UT', 'C', 'G'];

function load(t: import('node:test').TestContext, file: string): Structure | null {
  const dir = sharedDataOrSkip(t);
  return dir ? readStructure(sharedPath(dir, 'structures', file)) : null;
}

/** For each base-bearing nucleotide: which base-type channel is highest at its N1/N9-ring atoms. */
function argmaxTypes(pm: ProbabilityMaps, s: Structure): { truth: number; got: number }[] {
  const flat = flattenAtoms(s);
  const votes = new Map<number, { truth: number; sum: number[] }>();
  for (let i = 0; i < flat.count; i++) {
    if (flat.cls[i] !== AtomClass.Base || flat.nucleotide[i] < 0) continue;
    const v = votes.get(flat.nucleotide[i]) ?? { truth: flat.baseType[i], sum: [0, 0, 0, 0] };
    TYPE_CH.forEach((c, k) => { v.sum[k] += Volume.interpolateAngstrom(ProbabilityMaps.channel(pm, c), flat.x[i], flat.y[i], flat.z[i]); });
    votes.set(flat.nucleotide[i], v);
  }
  return [...votes.values()].map((v) => ({ truth: v.truth, got: v.sum.indexOf(Math.max(...v.sum)) }));
}

for (const [file, label] of [['cryoread_6v5b_drna.pdb', 'RNA 6V5B'], ['ngl_1d66.pdb', 'protein-DNA 1D66']] as const) {
  test(`perfect oracle on ${label}: argmax class at every atom is its true class`, (t) => {
    const s = load(t, file);
    if (!s) return;
    const frame = gridForStructure(s, { padA: 5 });
    const pm = oracleProbabilities(s, frame);
    const flat = flattenAtoms(s);
    let checked = 0, peakSum = 0;
    for (let i = 0; i < flat.count; i++) {
      const truth = CLASS_CH[flat.cls[i]];
      if (!truth) continue;
      const val = (c: ProbabilityChannel) => Volume.interpolateAngstrom(ProbabilityMaps.channel(pm, c), flat.x[i], flat.y[i], flat.z[i]);
      const classes: ProbabilityChannel[] = ['sugar', 'phosphate', 'base', 'protein'];
      const vals = classes.map(val);
      assert.equal(classes[vals.indexOf(Math.max(...vals))], truth, `atom ${i} (${truth})`);
      if (flat.cls[i] === AtomClass.Base) {
        const tv = TYPE_CH.map(val);
        assert.equal(tv.indexOf(Math.max(...tv)), flat.baseType[i]);
      }
      peakSum += val(truth);
      checked++;
    }
    assert.ok(checked > 1000);
    assert.ok(peakSum / checked > 0.85, `mean own-class probability at atoms ${peakSum / checked}`);
    for (const c of PROBABILITY_CHANNELS) {
      const st = Volume.stats({ data: pm.channels[c] });
      assert.ok(st.min >= 0 && st.max <= 1, c);
    }
  });
}

test('degraded oracle: dropout, false positives, base-type errors; reproducible per seed', (t) => {
  const s = load(t, 'cryoread_6v5b_drna.pdb');
  if (!s) return;
  const frame = gridForStructure(s, { padA: 5 });
  const perfect = oracleProbabilities(s, frame);
  const degr = { dropout: 0.2, falsePositiveRate: 0.1, baseTypeAccuracy: 0.7, seed: 5 };
  const a = oracleProbabilities(s, frame, degr);
  const b = oracleProbabilities(s, frame, degr);
  const c = oracleProbabilities(s, frame, { ...degr, seed: 6 });
  for (const ch of PROBABILITY_CHANNELS) assert.deepEqual(a.channels[ch], b.channels[ch], ch);
  assert.notDeepEqual(a.channels.sugar, c.channels.sugar);

  // Dropout: 20% of the 78 nucleotides (16) have no phosphate signal at their P atom.
  const flat = flattenAtoms(s);
  let missing = 0, nP = 0;
  for (const r of s.chains[0].residues) {
    const p = r.atoms.find((x) => x.name === 'P');
    if (!p) continue;
    nP++;
    if (Volume.interpolateAngstrom(ProbabilityMaps.channel(a, 'phosphate'), p.x, p.y, p.z) < 0.5) missing++;
  }
  assert.ok(nP >= 77);
  assert.ok(missing >= 14 && missing <= 17, `P atoms without signal: ${missing}`);
  assert.equal(flat.nucleotideCount, 78);

  // Base types: with accuracy 0.7, about 30% of the (kept) nucleotides argmax to a wrong type.
  const kept = argmaxTypes(a, s).filter((v) => v.got >= 0);
  const typesPerfect = argmaxTypes(perfect, s);
  assert.ok(typesPerfect.every((v) => v.got === v.truth));
  const wrong = argmaxTypes(oracleProbabilities(s, frame, { baseTypeAccuracy: 0.7, seed: 5 }), s).filter((v) => v.got !== v.truth).length;
  assert.equal(wrong, Math.round(0.3 * 78));
  assert.ok(kept.length === 78);
  const allWrong = argmaxTypes(oracleProbabilities(s, frame, { baseTypeAccuracy: 0, seed: 1 }), s);
  assert.ok(allWrong.every((v) => v.got !== v.truth));

  // False positives add probability mass far from any atom.
  const fp = oracleProbabilities(s, frame, { falsePositiveRate: 0.5, seed: 2 });
  // Count voxels that are empty in the perfect map but clearly positive with spurious blobs.
  let spurious = 0;
  for (const ch of ['sugar', 'phosphate', 'base'] as const) {
    for (let o = 0; o < fp.channels[ch].length; o++) if (perfect.channels[ch][o] < 0.01 && fp.channels[ch][o] > 0.2) spurious++;
  }
  // 39 blobs (0.5 x 78) of peak 0.3-0.9, sigma 1 A: each has up to ~15 voxels above 0.2.
  assert.ok(spurious > 39 * 3 && spurious < 39 * 20, `spurious voxels ${spurious}`);
  assert.throws(() => oracleProbabilities(s, frame, { dropout: 2 }), /dropout/);
});
