import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAtoms, coarseFromStructure, nucleotideTemplate, type CoarseChain } from '../../src/build/index.js';
import { applyTransform, type RigidTransform } from '../../src/math/kabsch.js';
import type { Structure, Residue } from '../../src/structure/model.js';
import { c4Inversions, c4Rmsd, clashesPer1000 } from './helpers.js';
import { c4ChiralVolume, chiralityReport, chiralityInversions } from '../../src/evaluate/chirality.js';

const EXPECTED_COUNTS: Record<string, number> = { A: 22, C: 20, G: 23, U: 20, DA: 21, DC: 19, DG: 22, DT: 20 };

test('templates: atom counts, DNA without O2\', DT with C7, bond lengths', () => {
  for (const [name, count] of Object.entries(EXPECTED_COUNTS)) {
    const t = nucleotideTemplate(name as keyof typeof EXPECTED_COUNTS & 'A');
    assert.equal(t.atoms.length, count, name);
    const names = t.atoms.map((a) => a.name);
    assert.equal(names.includes("O2'"), !name.startsWith('D'), `${name} O2'`);
    assert.equal(names.includes('C7'), name === 'DT', `${name} C7`);
    assert.ok(!names.includes('OP3'));
    const pos = (n: string) => t.atoms.find((a) => a.name === n)!.xyz;
    const d = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    const glyN = name.endsWith('A') || name.endsWith('G') ? 'N9' : 'N1';
    assert.ok(Math.abs(d(pos("C1'"), pos(glyN)) - 1.47) < 0.03, `${name} C1'-${glyN}`);
    assert.ok(Math.abs(d(pos("C4'"), pos("C3'")) - 1.52) < 0.04, `${name} C4'-C3'`);
    assert.ok(Math.abs(d(pos("O3'"), t.anchors.nextPhosphate.P) - 1.6) < 0.01, `${name} O3'-P(i+1)`);
    // Ideal-helix C4'-C4' step within the range of real structures (5.2-6.7 A).
    const step = d(t.anchors.sugar["C4'"], t.anchors.nextSugar["C4'"]);
    assert.ok(step > 5.2 && step < 6.7, `${name} C4'-C4' step ${step}`);
  }
});

/** An ideal helical strand of full-atom templates (sequence cycles through `letters`). */
function idealStrand(letters: string[], n: number, dna: boolean): Structure {
  const residues: Residue[] = [];
  let frame: RigidTransform = { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [10, -3, 7] };
  for (let i = 0; i < n; i++) {
    const name = (dna ? 'D' : '') + letters[i % letters.length];
    const t = nucleotideTemplate(name as 'A');
    residues.push({
      name, originalName: name, seqNum: i + 1, insCode: '', kind: dna ? 'dna' : 'rna', base: letters[i % letters.length] as 'A',
      atoms: t.atoms.map((a) => { const [x, y, z] = applyTransform(frame, a.xyz); return { name: a.name, element: a.element, x, y, z, occupancy: 1, bFactor: 0, hetero: false }; }),
    });
    // All templates of one kind share the helix step, so compose it in the template frame.
    const step = t.nextTransform;
    const r = frame.rotation, s = step.rotation;
    const rot = [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => r[row * 3] * s[col] + r[row * 3 + 1] * s[3 + col] + r[row * 3 + 2] * s[6 + col]));
    frame = { rotation: rot, translation: applyTransform(frame, step.translation) };
  }
  return { chains: [{ id: 'A', residues }] };
}

test('ideal strands rebuild exactly: coarse -> buildAtoms recovers every atom', () => {
  for (const dna of [false, true]) {
    const ref = idealStrand(dna ? ['A', 'C', 'G', 'T'] : ['A', 'C', 'G', 'U'], 12, dna);
    const built = buildAtoms(coarseFromStructure(ref));
    assert.equal(built.chains[0].residues.length, 12, 'no residue dropped');
    const { rmsdA, n } = c4Rmsd(built, ref);
    assert.equal(n, 12);
    assert.ok(rmsdA < 0.01, `C4' RMSD ${rmsdA}`);
    assert.deepEqual(c4Inversions(built, ref), { inverted: 0, compared: 12 });
    assert.equal(clashesPer1000(built), 0);
    for (const r of built.chains[0].residues) {
      assert.equal(r.atoms.length, EXPECTED_COUNTS[r.name], r.name);
      assert.equal(r.kind, dna ? 'dna' : 'rna');
    }
  }
});

test('a mirror-image coarse chain still gives natural (template) handedness', () => {
  const ref = idealStrand(['G', 'C', 'A', 'U'], 10, false);
  const coarse = coarseFromStructure(ref);
  const mirrored: CoarseChain[] = coarse.map((c) => ({ ...c, residues: c.residues.map((r) => ({
    ...r,
    sugarA: [-r.sugarA[0], r.sugarA[1], r.sugarA[2]],
    phosphateA: r.phosphateA && [-r.phosphateA[0], r.phosphateA[1], r.phosphateA[2]],
    baseA: r.baseA && [-r.baseA[0], r.baseA[1], r.baseA[2]],
  })) }));
  const built = buildAtoms(mirrored);
  // Absolute handedness with the evaluation's own function: natural D-ribose has a negative C4'
  // signed volume (src/evaluate/chirality.ts), whatever the handedness of the input points.
  const n = coarse.reduce((k, c) => k + c.residues.length, 0);
  const residues = built.chains.flatMap((c) => c.residues);
  assert.equal(residues.length, n);
  for (const r of residues) assert.ok(c4ChiralVolume(r)! < -1, `${r.name}${r.seqNum} C4' volume ${c4ChiralVolume(r)}`);
  assert.deepEqual(chiralityReport(built), { checked: n, inverted: [] });
  // and the check itself sees a mirrored nucleotide: mirror the built model's atoms.
  const mirror = { chains: built.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a, x: -a.x })) })) })) };
  assert.equal(chiralityInversions(mirror), n);
});

test('missing phosphates, missing bases, numbering, names and B-factors', () => {
  const ref = idealStrand(['A', 'C', 'G', 'U'], 8, false);
  const coarse = coarseFromStructure(ref);
  const res = coarse[0].residues;
  // Drop every other phosphate and one base, renumber from 5, vary confidence, ask for DNA names.
  const chain: CoarseChain = { chainId: 'B', residues: res.map((r, i) => ({
    ...r, seqNum: 5 + i, phosphateA: i % 2 ? null : r.phosphateA, baseA: i === 3 ? null : r.baseA, confidence: i / 7,
  })) };
  const built = buildAtoms([chain]);
  assert.equal(built.chains[0].id, 'B');
  assert.deepEqual(built.chains[0].residues.map((r) => r.seqNum), [5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(built.chains[0].residues.map((r) => r.name), ['A', 'C', 'G', 'U', 'A', 'C', 'G', 'U']);
  const b = built.chains[0].residues.map((r) => r.atoms[0].bFactor);
  assert.equal(b[0], 100);
  assert.equal(b[7], 20);
  assert.ok(built.remarks.some((l) => l.includes('B-FACTOR')));
  const rebuilt = { chains: [{ ...built.chains[0], id: 'A', residues: built.chains[0].residues.map((r, i) => ({ ...r, seqNum: i + 1 })) }] };
  const { rmsdA } = c4Rmsd(rebuilt, ref);
  assert.ok(rmsdA < 0.15, `C4' RMSD with missing P ${rmsdA}`);
  const dna = buildAtoms([{ chainId: 'C', residues: res.map((r) => ({ ...r, moleculeType: 'dna' as const })) }]);
  assert.deepEqual(dna.chains[0].residues.map((r) => r.name), ['DA', 'DC', 'DG', 'DT', 'DA', 'DC', 'DG', 'DT']);
  const dt = dna.chains[0].residues[3].atoms.map((a) => a.name);
  assert.ok(dt.includes('C7') && !dt.includes("O2'"));
  assert.throws(() => buildAtoms([{ chainId: 'X', residues: [{ ...res[0], sugarA: [NaN, 0, 0] }] }]), /non-finite/);
});
