/**
 * Training / validation maps for the detection network (issue #4), written as raw arrays + JSON.
 *
 *   npx tsx training/make-dataset.ts [--structures ../shared/data/structures] [--out training/data]
 *                                    [--per-structure 4] [--seed 1] [--crop-a 64] [--targets oracle|binary]
 *
 * Every sample: the structure is rotated at random (training only), optionally stripped of protein, and a
 * large structure is cut to the residues in a crop-a cube around a random nucleotide. The map is simulated
 * (src/simulate) at a random voxel size 0.8-1.4 A with random resolution 2.5-6 A, B-factor, noise and
 * local amplitude jitter, resampled to 1 A (resampleToGrid, as inference does) and normalised exactly as
 * inference does (normalizeDensity, reference 5.1, contour 0). Targets (8 channels, LABEL_CLASSES order)
 * are made on the final 1 A grid: oracle probabilities x 255 (default) or 0/1 labels (see TargetKind). Validation samples (held-out structures) are simulated at 3, 4, 5 and 6 A.
 *
 * Output (git-ignored): <out>/index.json, and per sample <id>.density.f32 ([z][y][x] float32),
 * <id>.labels.u8 ([8][z][y][x]) and <id>.atoms.json (C4', P, C1' positions in A and base index per C1'; per C1' also
 * the backbone points re-threading places: own and next phosphate-group centroids and the primed-atom centroid).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStructure } from '../src/io/structure-file.js';
import { Structure, type Chain } from '../src/structure/model.js';
import { simulateMap, labelMaps, oracleProbabilities, LABEL_CLASSES, baseTypeIndex, AtomClass, classifyAtom } from '../src/simulate/index.js';
import { resampleToGrid } from '../src/grid/resample.js';
import { normalizeDensity } from '../src/grid/normalize.js';
import { Rng } from '../src/util/random.js';
import { PHOSPHATE_GROUP_ATOM_NAMES } from '../src/build/template.js';

import { EXCLUDED, VALIDATION, VALIDATION_RESOLUTIONS_A, notTrained, type SplitName } from './split.js';
import { addDecoyProtein, addIons, addWaters, dropStretch, proteinChains, randomRotation, type Mat3 } from './augment-structure.js';
import { simulateRealisticMap, type RealisticMapParams } from '../src/simulate/realism.js';
import type { Residue } from '../src/structure/model.js';
export { EXCLUDED, VALIDATION, VALIDATION_RESOLUTIONS_A };

/** Copy of `s` with every atom rotated by `m`, protein dropped when `dropProtein`, cut to a cube when `crop`. */
function transformed(s: Structure, m: Mat3 | null, dropProtein: boolean, crop: { centre: number[]; halfA: number } | null): Structure {
  const chains: Chain[] = [];
  for (const c of s.chains) {
    const residues = [];
    for (const r of c.residues) {
      if (dropProtein && r.kind === 'protein') continue;
      const atoms = r.atoms.map((a) => {
        const [x, y, z] = m ? [m[0] * a.x + m[1] * a.y + m[2] * a.z, m[3] * a.x + m[4] * a.y + m[5] * a.z, m[6] * a.x + m[7] * a.y + m[8] * a.z] : [a.x, a.y, a.z];
        return { ...a, x, y, z };
      });
      if (atoms.length === 0) continue;
      if (crop) {
        const a0 = atoms[Math.floor(atoms.length / 2)];
        const d = [a0.x - crop.centre[0], a0.y - crop.centre[1], a0.z - crop.centre[2]];
        if (Math.max(Math.abs(d[0]), Math.abs(d[1]), Math.abs(d[2])) > crop.halfA) continue;
      }
      residues.push({ ...r, atoms });
    }
    if (residues.length) chains.push({ ...c, residues });
  }
  return { chains, source: s.source };
}

/**
 * Per nucleotide positions (A) for node-level metrics and the base caller: C4', P, C1'; per C1' its
 * base index (0 A, 1 UT, 2 C, 3 G), the centroid of its six-membered ring (N1..C6), the centroid of
 * all its base atoms and the centroid of its sugar-class atoms (every primed atom: what the
 * pipeline's sugar nodes stand for, BuildAtomsParams.sugarAnchor 'sugar-atoms').
 */
function nucleotideAtoms(s: Structure) {
  const out = {
    c4: [] as number[][], p: [] as number[][], c1: [] as number[][], c1Base: [] as number[], baseCentroid: [] as number[][], baseAtomCentroid: [] as number[][], sugarCentroid: [] as number[][],
    primedCentroid: [] as number[][], p5Group: [] as (number[] | null)[], p3Group: [] as (number[] | null)[],
  };
  const r3 = (v: number[]) => v.map((x) => +x.toFixed(3));
  const mean = (atoms: { x: number; y: number; z: number }[]) => [0, 1, 2].map((k) => atoms.reduce((acc, a) => acc + [a.x, a.y, a.z][k], 0) / atoms.length);
  /** Centroid of P, OP1, OP2 (rethread's phosphate anchor, build 'phosphate-group'), null when any is missing. */
  const phosphateGroup = (r: Residue | undefined) => {
    const atoms = r ? PHOSPHATE_GROUP_ATOM_NAMES.map((n) => Structure.findAtom(r, n)) : [];
    return atoms.length && atoms.every((a) => a) ? r3(mean(atoms as { x: number; y: number; z: number }[])) : null;
  };
  /** The next residue of the chain when its P is bonded to this residue's O3' (<= 2 A). */
  const bondedNext = (chain: Chain, r: Residue) => {
    const next = chain.residues[chain.residues.indexOf(r) + 1];
    const o3 = Structure.findAtom(r, "O3'"), p = next && Structure.findAtom(next, 'P');
    return o3 && p && Math.hypot(o3.x - p.x, o3.y - p.y, o3.z - p.z) <= 2 ? next : undefined;
  };
  for (const { chain, residue } of Structure.nucleotides(s)) {
    const ring = residue.atoms.filter((a) => /^(N1|C2|N3|C4|C5|C6)$/.test(a.name));
    const baseAtoms = residue.atoms.filter((a) => classifyAtom(residue.kind, a.name, a.element) === AtomClass.Base);
    const sugarAtoms = residue.atoms.filter((a) => classifyAtom(residue.kind, a.name, a.element) === AtomClass.Sugar);
    for (const a of residue.atoms) {
      const xyz = r3([a.x, a.y, a.z]);
      if (a.name === "C4'") out.c4.push(xyz);
      else if (a.name === 'P') out.p.push(xyz);
      else if (a.name === "C1'" && residue.base) {
        out.c1.push(xyz);
        out.c1Base.push(baseTypeIndex(residue.base));
        out.baseCentroid.push(ring.length ? r3(mean(ring)) : xyz);
        out.baseAtomCentroid.push(baseAtoms.length ? r3(mean(baseAtoms)) : xyz);
        out.sugarCentroid.push(sugarAtoms.length ? r3(mean(sugarAtoms)) : xyz);
        // The three backbone points re-threading places per nucleotide (trace/rethread.ts): own phosphate
        // group, centroid of every primed atom ('sugar-atoms'), next residue's phosphate group.
        out.primedCentroid.push(r3(mean(residue.atoms.filter((a) => a.name.includes("'")))));
        out.p5Group.push(phosphateGroup(residue));
        out.p3Group.push(phosphateGroup(bondedNext(chain, residue)));
      }
    }
  }
  return out;
}

interface SampleSpec {
  id: string;
  structure: string;
  split: 'train' | 'val';
  resolutionA: number;
  voxelSizeA: number;
  bFactor: 'none' | number;
  noiseSnr: number;
  noiseColourA: number;
  noiseColourFraction: number;
  localAmplitudeJitter: number;
  rotated: boolean;
  proteinDropped: boolean;
  cropped: boolean;
  seed: number;
  /** Realistic-map settings (simulateRealisticMap) and structure augmentation; absent = plain simulateMap. */
  realism?: Partial<RealisticMapParams>;
  augment?: { proteinRatio: number; ionFraction: number; waters: number; droppedNt: number };
}

/**
 * Target kinds. 'binary': 0/1 per voxel, atoms within 2 A per class (labelMaps). 'oracle' (default since
 * cryoread-ts-v2): the oracle detector's probabilities (src/simulate/oracle.ts, Gaussian blob of sigma 1 A
 * per atom combined as a probabilistic OR), stored as round(255 p). Why: the 2 A binary sugar label is a
 * continuous tube along the backbone (O3' and O5' both lie within 2 A of P), so a network trained on it
 * outputs a plateau without one mode per nucleotide; the oracle dips between nucleotides and is the map
 * every stage after detection was developed and tested on, so a network that regresses it hands those
 * stages the input they expect.
 */
export type TargetKind = 'binary' | 'oracle';

function targets(s: Structure, frame: Parameters<typeof labelMaps>[1], kind: TargetKind): Record<(typeof LABEL_CLASSES)[number], Uint8Array> {
  if (kind === 'binary') return labelMaps(s, frame);
  const pm = oracleProbabilities(s, frame);
  const out = {} as Record<(typeof LABEL_CLASSES)[number], Uint8Array>;
  for (const c of LABEL_CLASSES) {
    const p = pm.channels[c], q = new Uint8Array(p.length);
    for (let i = 0; i < p.length; i++) q[i] = Math.round(255 * p[i]);
    out[c] = q;
  }
  return out;
}

function makeSample(s: Structure, spec: SampleSpec, outDir: string, kind: TargetKind): Record<string, unknown> {
  const raw = spec.realism ? simulateRealisticMap(s, { ...spec.realism, resolutionA: spec.resolutionA, voxelSizeA: spec.voxelSizeA, padA: 8, bFactor: spec.bFactor, seed: spec.seed }) : simulateMap(s, {
    resolutionA: spec.resolutionA, voxelSizeA: spec.voxelSizeA, padA: 8, bFactor: spec.bFactor, noiseSnr: spec.noiseSnr,
    noiseColourA: spec.noiseColourA, noiseColourFraction: spec.noiseColourFraction, localAmplitudeJitter: spec.localAmplitudeJitter, seed: spec.seed,
  });
  const density = normalizeDensity(resampleToGrid(raw, 1), 0).volume;
  const labels = targets(s, density, kind);
  const scale = kind === 'oracle' ? 255 : 1;
  const n = density.data.length;
  const lab = new Uint8Array(8 * n);
  LABEL_CLASSES.forEach((c, i) => lab.set(labels[c], i * n));
  writeFileSync(join(outDir, `${spec.id}.density.f32`), new Uint8Array(density.data.buffer, density.data.byteOffset, density.data.byteLength));
  writeFileSync(join(outDir, `${spec.id}.labels.u8`), lab);
  writeFileSync(join(outDir, `${spec.id}.atoms.json`), JSON.stringify(nucleotideAtoms(s)));
  const pos = LABEL_CLASSES.map((c) => labels[c].reduce((a, v) => a + v, 0) / n / scale);
  return { ...spec, shape: density.shape, originA: density.originA, positiveFraction: pos.map((x) => +x.toFixed(5)) };
}

const r3 = (x: number) => +x.toFixed(3);

/** Map-level realism for one training sample (distributions in models/MODEL_CARD.md, cryoread-ts-v2). */
function drawRealism(rng: Rng): Partial<RealisticMapParams> {
  const experimentBA2 = rng.uniform(20, 150);
  const u = rng.next();
  return {
    densityModel: rng.next() < 0.4 ? 'gaussian' : 'fourier',
    experimentBA2: r3(experimentBA2),
    sharpenBA2: rng.next() < 0.7 ? r3(experimentBA2 * rng.uniform(0.3, 1.15)) : 0,
    anisotropyBA2: rng.next() < 0.25 ? r3(rng.uniform(20, 150)) : 0,
    anisotropyAxis: (() => { const v = [rng.normal(), rng.normal(), rng.normal()]; const n = Math.hypot(...v) || 1; return v.map((x) => r3(x / n)) as [number, number, number]; })(),
    localResolutionDeltaA: rng.next() < 0.5 ? r3(rng.uniform(0.5, 3)) : 0,
    noiseSnr: rng.next() < 0.15 ? 0 : r3(Math.exp(rng.uniform(Math.log(0.5), Math.log(8)))),
    noiseColourA: r3(rng.uniform(1.5, 4)), noiseColourFraction: r3(rng.uniform(0.2, 0.8)),
    localAmplitudeJitter: r3(rng.uniform(0, 0.4)),
    amplitudeScale: r3(Math.pow(10, rng.uniform(-3, 2))),
    offset: r3(rng.uniform(-0.3, 0.3)),
    mask: u < 0.4 ? 'none' : u < 0.7 ? 'contour' : 'zone',
    maskQuantile: r3(rng.uniform(0, 0.4)),
    zoneRadiusA: r3(rng.uniform(2, 5)),
  };
}

/** Structure augmentation for one training sample: protein against the NA, ions, waters, a missing stretch. */
function augmentStructure(s: Structure, hasProtein: boolean, resolutionA: number, pool: Residue[][], rng: Rng): { s: Structure; augment: NonNullable<SampleSpec['augment']> } {
  const augment = { proteinRatio: 0, ionFraction: 0, waters: 0, droppedNt: 0 };
  if (rng.next() < (hasProtein ? 0.25 : 0.55)) {
    augment.proteinRatio = r3(Math.exp(rng.uniform(Math.log(0.2), Math.log(4))));
    s = addDecoyProtein(s, pool, augment.proteinRatio, rng);
  }
  if (rng.next() < 0.4) { augment.ionFraction = r3(rng.uniform(0.05, 0.3)); s = addIons(s, augment.ionFraction, rng); }
  if (resolutionA < 3.6 && rng.next() < 0.4) {
    augment.waters = Math.round(Structure.nucleotides(s).length * rng.uniform(0.5, 2));
    s = addWaters(s, augment.waters, rng);
  }
  if (rng.next() < 0.25) { augment.droppedNt = 2 + rng.int(5); s = dropStretch(s, augment.droppedNt, rng); }
  return { s, augment };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      structures: { type: 'string', default: '../shared/data/structures' },
      out: { type: 'string', default: 'training/data' },
      'per-structure': { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      'crop-a': { type: 'string', default: '64' },
      only: { type: 'string' },
      targets: { type: 'string', default: 'oracle' },
      split: { type: 'string', default: 'v2' },
      realism: { type: 'string', default: 'on' },
    },
  });
  const dir = resolve(values.structures!), out = resolve(values.out!);
  const perStructure = Number(values['per-structure']), halfA = Number(values['crop-a']) / 2;
  const kind = values.targets as TargetKind;
  if (kind !== 'binary' && kind !== 'oracle') throw new Error(`make-dataset: --targets ${kind} is unknown; give binary or oracle`);
  const splitName = values.split as SplitName;
  if (splitName !== 'v1' && splitName !== 'v2') throw new Error(`make-dataset: --split ${splitName} is unknown; give v1 or v2`);
  const realism = values.realism === 'on';
  if (!realism && values.realism !== 'off') throw new Error(`make-dataset: --realism ${values.realism} is unknown; give on or off`);
  mkdirSync(out, { recursive: true });
  const rng = new Rng(Number(values.seed));
  const files = readdirSync(dir).filter((f) => /\.(pdb|cif)(\.gz)?$/.test(f)).sort();
  const never = notTrained(splitName);
  // protein chains of the training structures: the pool decoy protein is drawn from
  const pool: Residue[][] = realism ? files.filter((f) => !never.includes(f)).flatMap((f) => proteinChains(readStructure(join(dir, f)))) : [];
  const index: Record<string, unknown>[] = [];
  const t0 = Date.now();
  let k = 0;
  for (const f of files) {
    if (never.includes(f) && !VALIDATION.includes(f)) continue;
    const split = VALIDATION.includes(f) ? 'val' : 'train';
    if (values.only && split !== values.only) continue;
    const s = readStructure(join(dir, f));
    const nts = Structure.nucleotides(s);
    const hasProtein = s.chains.some((c) => c.residues.some((r) => r.kind === 'protein'));
    if (split === 'val') {
      VALIDATION_RESOLUTIONS_A.forEach((res, i) => {
        const spec: SampleSpec = {
          id: `val_${f.replace(/\.(pdb|cif)(\.gz)?$/, '')}_${res}A`, structure: f, split, resolutionA: res,
          voxelSizeA: [1.0, 1.2, 0.9, 1.3][i], bFactor: 20, noiseSnr: 4, noiseColourA: 2.5, noiseColourFraction: 0.5,
          localAmplitudeJitter: 0.2, rotated: false, proteinDropped: false, cropped: false, seed: 9000 + k++,
        };
        index.push(makeSample(s, spec, out, kind));
      });
    } else {
      const count = nts.length === 0 ? 1 : perStructure;
      for (let j = 0; j < count; j++) {
        const m = randomRotation(rng);
        const drop = hasProtein && nts.length > 0 && rng.next() < 0.3;
        let crop: { centre: number[]; halfA: number } | null = null;
        let rs = transformed(s, m, drop, null);
        // realism draws the resolution first (waters depend on it); without it the v1 draw order is kept
        let resolutionA = realism ? +rng.uniform(2.5, 6).toFixed(2) : 0;
        let augment: SampleSpec['augment'];
        if (realism) ({ s: rs, augment } = augmentStructure(rs, hasProtein && !drop, resolutionA, pool, rng));
        const big = Structure.atomCount(rs) > 4500;
        if (big) {
          const rn = Structure.nucleotides(rs);
          const cands = rn.length ? rn.map((x) => x.residue) : rs.chains.flatMap((c) => c.residues);
          const r = cands[rng.int(cands.length)];
          const a = r.atoms[0];
          crop = { centre: [a.x, a.y, a.z], halfA };
          rs = transformed(rs, null, false, crop);
        }
        const u = rng.next();
        if (!realism) resolutionA = +rng.uniform(2.5, 6).toFixed(2);
        const spec: SampleSpec = {
          id: `train_${String(k).padStart(4, '0')}`, structure: f, split, resolutionA,
          voxelSizeA: +rng.uniform(0.8, 1.4).toFixed(3), bFactor: u < 0.3 ? 'none' : +rng.uniform(0, 80).toFixed(1),
          noiseSnr: rng.next() < 0.15 ? 0 : +Math.exp(rng.uniform(Math.log(0.8), Math.log(10))).toFixed(2),
          noiseColourA: +rng.uniform(1.5, 4).toFixed(2), noiseColourFraction: +rng.uniform(0.2, 0.8).toFixed(2),
          localAmplitudeJitter: +rng.uniform(0, 0.4).toFixed(2), rotated: true, proteinDropped: drop, cropped: big, seed: 1000 + k++,
          ...(realism ? { realism: drawRealism(rng), augment } : {}),
        };
        index.push(makeSample(rs, spec, out, kind));
      }
    }
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${f} (${split}, ${nts.length} nt) -> ${index.length} samples`);
  }
  const name = values.only ? `index.${values.only}.json` : 'index.json';
  writeFileSync(join(out, name), JSON.stringify({ seed: Number(values.seed), split: splitName, realism, targets: kind, labelScale: kind === 'oracle' ? 255 : 1, validation: VALIDATION, excluded: EXCLUDED, samples: index }, null, 1));
  console.log(`wrote ${index.length} samples to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
