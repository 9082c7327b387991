/**
 * bench/refine: the built-in refinement (src/refine) on network models and at scale.
 *
 *   npx tsx bench/refine.ts [--res 3.7,4.5] [--only FILE] [--skip-network] [--skip-scale] [--json out.json]
 *                           [--cache DIR] [--params JSON]
 *
 * Part 1, network models: each held-out structure (training/split.ts VALIDATION) simulated as in
 * bench/heldout-pipeline (voxel 1.1 A, B 30 A^2, SNR 3, 60 % coloured noise, amplitude jitter, seed
 * 4242 + 10 x resolution), built by the whole pipeline (detection network, base caller, sequence),
 * then refined as `cryoread build --refine` does (built-in engine against CryoREAD's mask map).
 * Before / after against the deposited structure: one-to-one coverage and C4' RMSD, P recall at 3 A,
 * CryoREAD's centre coverage (any model centre within 5 A),
 * clashes per 1000 atoms; model-only: bond / angle RMSD, chirality errors, map CC (mask); seconds of
 * the refinement; process peak RSS. A second table follows each model nucleotide through refinement:
 * its C4' distance to the nearest reference C4' before refinement (within 5 A) and to that same
 * reference C4' after, binned by the distance before (< 1.5 A: placed right, 1.5-3 A, 3-5 A:
 * misplaced by the trace), RMS per bin: which errors refinement removes and which it cannot.
 * --cache DIR keeps each built model and its mask map (DIR/<structure>_<res>.model.json, .mask.mrc)
 * and reuses them, so refinement changes can be compared without re-running detection. --params gives
 * refineModel parameters as JSON (e.g. '{"registerSearch":{"radiusA":3}}') for both parts.
 * Part 2, scale: deposited models perturbed (0.3 A per coordinate, seed 1) in their simulated 3.7 A
 * map: 4W90 (101 nt + protein) and the E. coli 23S rRNA (~2,900 nt, occupancy_RNA1-4 union).
 * Targets (issue 15): C4' RMSD down >= 25 %, clashes <= 10 / 1000, bond RMSD <= 0.02 A, angle RMSD
 * <= 2.5 deg, no chirality errors, coverage not lower; 100 nt <= 30 s, 3000 nt <= 10 min on 2 cores.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStructure } from '../src/io/structure-file.js';
import { readMrc, writeMrc } from '../src/io/mrc.js';
import type { Volume } from '../src/grid/volume.js';
import { simulateMap } from '../src/simulate/simulate-map.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { assignSequenceStage } from '../src/pipeline/sequence-hook.js';
import { evaluateModel } from '../src/evaluate/index.js';
import { Structure } from '../src/structure/model.js';
import { maskMap } from '../src/refine/mask-map.js';
import { refineAndValidate } from '../src/refine/report.js';
import { Rng } from '../src/util/random.js';
import { VALIDATION } from '../training/split.js';
import { NeighbourGrid } from '../src/grid/neighbour-grid.js';

const TRACK_BINS: [number, number][] = [[0, 1.5], [1.5, 3], [3, 5]];
/**
 * Per model nucleotide (same index before and after): C4' distance to the nearest reference C4' before
 * refinement (within 5 A) and to that same reference C4' after; count and RMS before / after per bin
 * of the distance before.
 */
function trackedC4(before: Structure, after: Structure, reference: Structure): { n: number; before: number; after: number }[] {
  const c4 = (s: Structure) => Structure.nucleotides(s).map(({ residue }) => Structure.findAtom(residue, "C4'"));
  const ref = c4(reference).filter((a) => a !== undefined);
  const grid = new NeighbourGrid({ count: ref.length, x: ref.map((a) => a!.x), y: ref.map((a) => a!.y), z: ref.map((a) => a!.z) }, 5);
  const b = c4(before), a = c4(after);
  const out = TRACK_BINS.map(() => ({ n: 0, before: 0, after: 0 }));
  b.forEach((x, j) => {
    const y = a[j];
    if (!x || !y) return;
    const hit = grid.nearest(x.x, x.y, x.z, 5);
    if (hit.index < 0) return;
    const r = ref[hit.index]!;
    const k = TRACK_BINS.findIndex(([lo, hi]) => hit.distanceA >= lo && hit.distanceA < hi);
    out[k].n++; out[k].before += hit.distanceA ** 2; out[k].after += (y.x - r.x) ** 2 + (y.y - r.y) ** 2 + (y.z - r.z) ** 2;
  });
  return out;
}

const { values } = parseArgs({ options: { res: { type: 'string', default: '3.7,4.5' }, only: { type: 'string' }, 'skip-network': { type: 'boolean', default: false }, 'skip-scale': { type: 'boolean', default: false }, json: { type: 'string' }, cache: { type: 'string' }, params: { type: 'string', default: '{}' } } });
const extra = JSON.parse(values.params!) as Record<string, unknown>;
const shared = [process.env.CRYOREAD_SHARED_DATA, resolve(process.cwd(), '..', 'shared', 'data')].find((d) => d && existsSync(join(d, 'MANIFEST.md')));
if (!shared) {
  process.stdout.write('bench/refine needs ../shared/data (held-out structures); set CRYOREAD_SHARED_DATA\n');
  process.exit(0);
}
const rssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const f = (x: number | null | undefined, d: number) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
const records: Record<string, unknown>[] = [];

function table(head: string[], rows: (string | number)[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (r: (string | number)[]) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return `${fmt(head)}\n${w.map((n) => '-'.repeat(n)).join('  ')}\n${rows.map(fmt).join('\n')}`;
}

if (!values['skip-network']) {
  const files = values.only ? [values.only] : VALIDATION;
  const head = ['structure', 'res', 'nt', '1:1 cov', "C4' RMSD", 'P rec 3A', 'centre cov', 'clash/1000', 'bond RMSD', 'angle RMSD', 'chiral err', "other pucker", 'map CC', 'refine s', 'RSS MB'];
  const rows: (string | number)[][] = [];
  const sums = { c4b: 0, c4a: 0, covb: 0, cova: 0, pb: 0, pa: 0, n: 0 };
  const trackRows: (string | number)[][] = [];
  const trackSum = TRACK_BINS.map(() => ({ n: 0, before: 0, after: 0 }));
  for (const file of files) {
    const reference = readStructure(join(shared, 'structures', file));
    for (const res of values.res!.split(',').map(Number)) {
      const stemCache = values.cache ? join(values.cache, `${file.replace(/\.(pdb|cif)$/, '')}_${res}`) : null;
      let model: Structure | null = null, masked: Volume;
      if (stemCache && existsSync(`${stemCache}.model.json`) && existsSync(`${stemCache}.mask.mrc`)) {
        model = JSON.parse(readFileSync(`${stemCache}.model.json`, 'utf8')) as Structure;
        masked = readMrc(`${stemCache}.mask.mrc`).volume;
      } else {
        const map = simulateMap(reference, { resolutionA: res, voxelSizeA: 1.1, padA: 10, bFactor: 30, noiseSnr: 3, noiseColourA: 2.5, noiseColourFraction: 0.6, localAmplitudeJitter: 0.25, seed: 4242 + Math.round(res * 10) });
        const built = await runPipeline({ map, mapSource: file, fasta: Structure.sequenceRecords(reference), sequenceStage: assignSequenceStage }, { resolutionA: res, seed: 1 });
        model = built.structure;
        masked = maskMap(map, built.probabilities, { contour: 0 });
        if (stemCache && model) {
          mkdirSync(values.cache!, { recursive: true });
          writeFileSync(`${stemCache}.model.json`, JSON.stringify(model));
          writeMrc(`${stemCache}.mask.mrc`, masked);
        }
      }
      if (!model) continue;
      const built = { structure: model };
      const t0 = performance.now();
      const { result, report } = await refineAndValidate(built.structure, masked, { ...extra, engine: 'builtin', resolutionA: res });
      const seconds = (performance.now() - t0) / 1000;
      const eb = evaluateModel(built.structure, reference), ea = evaluateModel(result.structure, reference);
      const name = file.replace(/\.(pdb|cif)$/, '').slice(0, 30);
      const nt = Structure.nucleotides(built.structure).length;
      rows.push([`${name} before`, res, nt, f(eb.oneToOne.coverage, 3), f(eb.rmsdA, 2), f(eb.pRecall3A, 3), f(eb.coverage, 3), f(eb.clashesPer1000, 1), f(report.before.bondRmsdA, 3), f(report.before.angleRmsdDeg, 2), report.before.chiralityErrors, report.before.puckers.other, f(report.before.mapCC, 3), '', '']);
      rows.push([`${name} after`, res, nt, f(ea.oneToOne.coverage, 3), f(ea.rmsdA, 2), f(ea.pRecall3A, 3), f(ea.coverage, 3), f(ea.clashesPer1000, 1), f(report.after.bondRmsdA, 3), f(report.after.angleRmsdDeg, 2), report.after.chiralityErrors, report.after.puckers.other, f(report.after.mapCC, 3), seconds.toFixed(1), rssMB()]);
      const tr = trackedC4(built.structure, result.structure, reference);
      tr.forEach((t, k) => { trackSum[k].n += t.n; trackSum[k].before += t.before; trackSum[k].after += t.after; });
      trackRows.push([name, res, ...tr.flatMap((t) => [t.n, t.n ? `${f(Math.sqrt(t.before / t.n), 2)} -> ${f(Math.sqrt(t.after / t.n), 2)}` : '']), f(ea.rmsdA / eb.rmsdA - 1, 3)]);
      sums.c4b += eb.rmsdA; sums.c4a += ea.rmsdA; sums.covb += eb.oneToOne.coverage; sums.cova += ea.oneToOne.coverage; sums.pb += eb.pRecall3A; sums.pa += ea.pRecall3A; sums.n++;
      const rec = { part: 'network', structure: file, resolutionA: res, nucleotides: nt, trackedC4: TRACK_BINS.map(([lo, hi], k) => ({ fromA: lo, toA: hi, n: tr[k].n, rmsBeforeA: Math.sqrt(tr[k].before / tr[k].n), rmsAfterA: Math.sqrt(tr[k].after / tr[k].n) })), before: { ...report.before, oneToOneCoverage: eb.oneToOne.coverage, rmsdA: eb.rmsdA, pRecall3A: eb.pRecall3A, coverage: eb.coverage, clashesPer1000: eb.clashesPer1000 }, after: { ...report.after, oneToOneCoverage: ea.oneToOne.coverage, rmsdA: ea.rmsdA, pRecall3A: ea.pRecall3A, coverage: ea.coverage, clashesPer1000: ea.clashesPer1000 }, seconds, rssMB: rssMB() };
      records.push(rec);
      process.stderr.write(JSON.stringify({ structure: file, res, c4: [eb.rmsdA, ea.rmsdA], seconds }) + '\n');
    }
  }
  process.stdout.write(`network models, built-in refinement against the mask map\n${table(head, rows)}\n`);
  if (sums.n) {
    process.stdout.write(`mean C4' RMSD ${f(sums.c4b / sums.n, 2)} -> ${f(sums.c4a / sums.n, 2)} A (${f((100 * (sums.c4b - sums.c4a)) / sums.c4b, 1)} % lower); `
      + `one-to-one coverage ${f(sums.covb / sums.n, 3)} -> ${f(sums.cova / sums.n, 3)}; P recall ${f(sums.pb / sums.n, 3)} -> ${f(sums.pa / sums.n, 3)}\n\n`);
    trackRows.push(['all', '', ...trackSum.flatMap((t) => [t.n, t.n ? `${f(Math.sqrt(t.before / t.n), 2)} -> ${f(Math.sqrt(t.after / t.n), 2)}` : '']), '']);
    const th = ['structure', 'res', ...TRACK_BINS.flatMap(([lo, hi]) => [`n ${lo}-${hi}`, `RMS ${lo}-${hi} A`]), "rel. C4' RMSD change"];
    process.stdout.write(`each model nucleotide's C4' to its nearest reference C4' before refinement, and to that same one after, by distance before\n${table(th, trackRows)}\n\n`);
  }
}

if (!values['skip-scale']) {
  const head = ['model', 'nt', 'atoms', "C4' RMSD to deposited", 'bond RMSD', 'angle RMSD', 'clash/1000', 'chiral err', 'map CC', 'seconds', 'RSS MB'];
  const rows: (string | number)[][] = [];
  const union = (files: string[]) => {
    const ss = files.map((x) => readStructure(join(shared!, 'structures', x)));
    return { chains: ss.flatMap((s, i) => s.chains.map((c) => ({ ...c, id: `${c.id}${i}` }))), source: files.join('+') } as Structure;
  };
  const cases: [string, Structure][] = [
    ['4W90 (RNA + protein)', readStructure(join(shared, 'structures', 'rnatools_4W90_protein_rna.pdb'))],
    ['23S rRNA (occupancy_RNA1-4)', union(['occupancy_RNA1.pdb', 'occupancy_RNA2.pdb', 'occupancy_RNA3.pdb', 'occupancy_RNA4.pdb'])],
  ];
  for (const [name, truth] of cases) {
    const map = simulateMap(truth, { resolutionA: 3.7, padA: 8, bFactor: 30, noiseSnr: 3, seed: 7 });
    const model = { ...truth, chains: truth.chains.map((c) => ({ ...c, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a })) })) })) };
    const rng = new Rng(1);
    for (const { residue, atom } of Structure.atoms(model)) if (residue.kind === 'rna' || residue.kind === 'dna') { atom.x += 0.3 * rng.normal(); atom.y += 0.3 * rng.normal(); atom.z += 0.3 * rng.normal(); }
    const t0 = performance.now();
    const { result, report } = await refineAndValidate(model, map, { ...extra, engine: 'builtin', resolutionA: 3.7 });
    const seconds = (performance.now() - t0) / 1000;
    const eb = evaluateModel(model, truth), ea = evaluateModel(result.structure, truth);
    const nt = Structure.nucleotides(truth).length;
    rows.push([`${name} perturbed`, nt, Structure.atomCount(model), f(eb.rmsdA, 3), f(report.before.bondRmsdA, 3), f(report.before.angleRmsdDeg, 2), f(report.before.clashesPer1000, 1), report.before.chiralityErrors, f(report.before.mapCC, 3), '', '']);
    rows.push([`${name} refined`, nt, Structure.atomCount(model), f(ea.rmsdA, 3), f(report.after.bondRmsdA, 3), f(report.after.angleRmsdDeg, 2), f(report.after.clashesPer1000, 1), report.after.chiralityErrors, f(report.after.mapCC, 3), seconds.toFixed(1), rssMB()]);
    records.push({ part: 'scale', model: name, nucleotides: nt, before: { rmsdA: eb.rmsdA, ...report.before }, after: { rmsdA: ea.rmsdA, ...report.after }, seconds, rssMB: rssMB() });
    process.stderr.write(JSON.stringify({ model: name, seconds }) + '\n');
  }
  process.stdout.write(`scale: perturbed deposited models in their simulated 3.7 A map\n${table(head, rows)}\n`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(records, null, 1) + '\n');
