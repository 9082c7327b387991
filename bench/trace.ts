/**
 * Quality and speed of clustering + tracing on oracle maps: `npx tsx bench/trace.ts [file ...]`.
 * Prints one row per structure: nucleotides, sugar nodes, seconds per stage, coverage (true C4' with a
 * traced sugar within 2.5 A), jumps between non-adjacent nucleotides, adjacent steps ordered 5'->3',
 * 5' phosphates within 2 A of the true P, letters right after assignNoSequence. Needs ../shared/data.
 * Routing uses the default time budget (5 s + 10 ms per node) unless BENCH_FAST=1. The file name
 * `big` is 2 x 2 copies of occupancy_RNA3.pdb (3268 nt). BENCH_DEGRADED=1: 10 % dropout, 5 % false positives.
 */
import { sharedDataDir } from '../test/helpers/shared-data.js';
import { trueResidues, traceMetrics } from '../test/trace/trace-metrics.js';
import { readStructure } from '../src/io/structure-file.js';
import { gridForStructure, oracleProbabilities } from '../src/simulate/index.js';
import { clusterNodes } from '../src/cluster/index.js';
import { assignNoSequence, traceBackbones } from '../src/trace/index.js';
import { NeighbourGrid } from '../src/grid/neighbour-grid.js';
import { structureBounds } from '../src/simulate/grid-frame.js';
import type { Structure } from '../src/structure/model.js';

/** nx x ny copies of a structure side by side (the 3000+ nt case of bench/simulate). */
function copies(s: Structure, nx: number, ny: number, gapA: number): Structure {
  const { min, max } = structureBounds(s);
  const dx = max[0] - min[0] + gapA, dy = max[1] - min[1] + gapA;
  const chains = [];
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) {
    for (const c of s.chains) chains.push({ id: `${c.id}${i}${j}`, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a, x: a.x + i * dx, y: a.y + j * dy })) })) });
  }
  return { chains, source: `${nx}x${ny} copies of ${s.source}` };
}

const DEFAULT = ['cryoread_6v5b_drna.pdb', 'biotite_1bna.cif', 'rnapolis_1a9n.cif', 'rna3db_5m0h.cif', 'rna3db_1ehz.cif', 'rnatools_4W90_protein_rna.pdb', 'rp_rp05_5_solution_0_rpr.pdb', 'occupancy_RNA3.pdb'];
const dir = sharedDataDir();
if (!dir) { console.error('needs ../shared/data'); process.exit(1); }
const files = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT;
const degraded = process.env.BENCH_DEGRADED === '1';
const rows = [];
for (const file of files) {
  const st = file === 'big' ? copies(readStructure(`${dir}/structures/occupancy_RNA3.pdb`), 2, 2, 10) : readStructure(`${dir}/structures/${file}`);
  const pm = oracleProbabilities(st, gridForStructure(st, { voxelSizeA: 1, padA: 6 }), degraded ? { dropout: 0.1, falsePositiveRate: 0.05, seed: 5 } : {});
  let t = performance.now();
  const cl = await clusterNodes(pm, null);
  const clusterS = (performance.now() - t) / 1000;
  t = performance.now();
  const tr = await traceBackbones(cl, pm, process.env.BENCH_FAST === '1' ? { timeBudgetMs: 1000, timePerNodeMs: 0 } : {});
  const traceS = (performance.now() - t) / 1000;
  const truth = trueResidues(st);
  const m = traceMetrics(tr.paths, truth);
  const isDna = st.chains.some((c) => c.residues.some((r) => r.kind === 'dna'));
  const chains = assignNoSequence(tr.paths, { moleculeType: isDna ? 'dna' : 'rna' });
  const g = new NeighbourGrid({ count: truth.length, x: truth.map((q) => q.x), y: truth.map((q) => q.y), z: truth.map((q) => q.z) }, 2.5);
  const bases = st.chains.flatMap((c) => c.residues.filter((r) => r.kind === 'rna' || r.kind === 'dna' ).filter((r) => r.atoms.some((a) => a.name === "C4'")).map((r) => r.base));
  let right = 0, n = 0;
  for (const c of chains) for (const r of c.residues) {
    const i = g.nearest(r.sugarA[0], r.sugarA[1], r.sugarA[2], 2.5).index;
    if (i < 0) continue;
    n++;
    const b = bases[i] === 'T' ? 'U' : bases[i], l = r.letter === 'T' ? 'U' : r.letter;
    if (b === l) right++;
  }
  rows.push({
    structure: file, nt: truth.length, rssMB: Math.round(process.memoryUsage().rss / 1e6), sugarNodes: cl.nodes.sugar.count, clusterS: +clusterS.toFixed(1),
    graphS: +(tr.timingsMs.graph / 1000).toFixed(2), routingS: +(tr.timingsMs.routing / 1000).toFixed(1), rounds: tr.routing.rounds,
    paths: tr.paths.length, coverage: +m.coverage.toFixed(3), jumps: +m.jumpFraction.toFixed(3), dir5to3: +m.directionCorrect.toFixed(3),
    p5: +m.phosphate5Correct.toFixed(3), residues: chains.reduce((s, c) => s + c.residues.length, 0), letters: +(n ? right / n : 0).toFixed(3),
  });
  console.error(JSON.stringify(rows[rows.length - 1]));
}
console.table(rows);
