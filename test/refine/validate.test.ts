/** validateModel: geometry, clashes, chirality, puckers and map CC of ideal, distorted and mirrored models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStructure } from '../../src/io/structure-file.js';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { validateModel, formatValidation } from '../../src/refine/validate.js';
import { Structure as S } from '../../src/structure/model.js';
import { Rng } from '../../src/util/random.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';
import { idealStrand } from '../helpers/ideal-strand.js';

test('ideal strand: zero geometry deviations, no clashes, its own simulated map correlates ~1', () => {
  const s = idealStrand('A', 5);
  const map = simulateMap(s, { resolutionA: 3.5, padA: 8 });
  const r = validateModel(s, map, { resolutionA: 3.5 });
  assert.equal(r.summary.nucleotides, 5);
  assert.ok(r.summary.bondRmsdA < 0.002 && r.summary.angleRmsdDeg < 0.1);
  assert.equal(r.summary.bondOutliers, 0);
  assert.equal(r.summary.chiralityErrors, 0);
  assert.equal(r.summary.clashes, 0);
  assert.equal(r.summary.puckers["C3'-endo"], 5);
  assert.ok(r.summary.mapCC! > 0.99, `CC ${r.summary.mapCC}`);
  assert.ok(r.residues.every((x) => x.mapCC! > 0.98));
  assert.match(formatValidation(r), /bond RMSD 0\.00\d\d A over \d+ bonds, 0 outliers/);
});

test('distorted, shifted and mirrored models are flagged', () => {
  const s = idealStrand('G', 4);
  const map = simulateMap(s, { resolutionA: 3.5, padA: 8 });
  const bad = idealStrand('G', 4);
  const rng = new Rng(1);
  for (const { atom } of S.atoms(bad)) { atom.x += 0.15 * rng.normal() + 1.5; atom.y += 0.15 * rng.normal(); atom.z += 0.15 * rng.normal(); }
  const r = validateModel(bad, map, { resolutionA: 3.5 });
  assert.ok(r.summary.bondRmsdA > 0.15 && r.summary.bondOutliers > 10, JSON.stringify(r.summary));
  assert.ok(r.summary.mapCC! < 0.8, `CC ${r.summary.mapCC}`);
  // Mirror image: every chiral centre inverted.
  const mirror = idealStrand('G', 4);
  for (const { atom } of S.atoms(mirror)) atom.z = -atom.z;
  const m = validateModel(mirror);
  assert.equal(m.summary.chiralityErrors, m.summary.chiralCentres);
  assert.equal(m.summary.mapCC, null);
  assert.throws(() => validateModel(s, map, {}), /needs resolutionA/);
});

test('a deposited RNA (1EHZ) validates as well refined', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const s = readStructure(sharedPath(dir, 'structures', 'rna3db_1ehz.cif'));
  const r = validateModel(s);
  assert.ok(r.summary.nucleotides >= 76);
  assert.ok(r.summary.bondRmsdA < 0.02, `bond RMSD ${r.summary.bondRmsdA}`);
  assert.ok(r.summary.angleRmsdDeg < 2.5, `angle RMSD ${r.summary.angleRmsdDeg}`);
  assert.equal(r.summary.chiralityErrors, 0);
  assert.ok(r.summary.puckers["C3'-endo"] > 0.8 * r.summary.nucleotides);
});

test('a gap inside a chain is a chain break, not a bond outlier', () => {
  const s = idealStrand('A', 4);
  for (const r of s.chains[0].residues.slice(2)) for (const a of r.atoms) { a.x += 3; a.y += 3; a.z += 3; }
  const r = validateModel(s);
  assert.equal(r.summary.chainBreaks, 1);
  assert.equal(r.summary.bondOutliers, 0);
  assert.ok(r.summary.bondRmsdA < 0.002);
  assert.match(formatValidation(r), /chain breaks \(O3'-P > 3 A\) 1/);
});

test('residues numbered with a gap are not linked unless O3\'-P is bond length (built models number by FASTA position)', () => {
  const s = idealStrand('A', 4);
  const [r1, r2] = s.chains[0].residues.slice(1, 3);
  // residue 3 renumbered 5: two nucleotides missing between 2 and 5; move it so O3'(2)-P(5) is 2.6 A
  const o3 = r1.atoms.find((a) => a.name === "O3'")!, p = r2.atoms.find((a) => a.name === 'P')!;
  const d = Math.hypot(o3.x - p.x, o3.y - p.y, o3.z - p.z);
  const u = [(p.x - o3.x) / d, (p.y - o3.y) / d, (p.z - o3.z) / d], shift = 2.6 - d;
  for (const r of s.chains[0].residues.slice(2)) {
    r.seqNum += 2;
    for (const a of r.atoms) { a.x += u[0] * shift; a.y += u[1] * shift; a.z += u[2] * shift; }
  }
  const gap = validateModel(s);
  assert.equal(gap.summary.chainBreaks, 1);
  assert.equal(gap.summary.bondOutliers, 0);
  assert.ok(gap.summary.bondRmsdA < 0.002, `bond RMSD ${gap.summary.bondRmsdA}`);
  // the same geometry numbered consecutively is a stretched link: a bond outlier of ~1 A
  for (const r of s.chains[0].residues.slice(2)) r.seqNum -= 2;
  const linked = validateModel(s);
  assert.equal(linked.summary.chainBreaks, 0);
  assert.equal(linked.summary.bondOutliers, 1);
  // numbered with a gap but bonded (a deposited model with a numbering jump): still a link
  for (const r of s.chains[0].residues.slice(2)) { r.seqNum += 2; for (const a of r.atoms) { a.x -= u[0] * shift; a.y -= u[1] * shift; a.z -= u[2] * shift; } }
  const bonded = validateModel(s);
  assert.equal(bonded.summary.chainBreaks, 0);
  assert.ok(bonded.summary.bondRmsdA < 0.002);
});
