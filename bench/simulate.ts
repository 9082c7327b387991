/**
 * Speed and peak memory of the simulator: `npx tsx bench/simulate.ts`.
 * Cases: the 78-nt example (6V5B chain D) and a 3000+ nt case (four copies of the 817-nt
 * occupancy_RNA3.pdb 23S rRNA segments side by side, 2 x 2). Each case runs in its own child process
 * so its peak RSS is its own. Needs ../shared/data.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../test/helpers/shared-data.js';
import { readStructure } from '../src/io/structure-file.js';
import { Structure } from '../src/structure/model.js';
import { simulateMap } from '../src/simulate/simulate-map.js';
import { labelMaps } from '../src/simulate/labels.js';
import { oracleProbabilities } from '../src/simulate/oracle.js';
import { structureBounds } from '../src/simulate/grid-frame.js';

interface Row { case: string; nt: number; atoms: number; grid: string; mapMs: number; noiseMapMs: number; labelsMs: number; oracleMs: number; peakRssMB: number }

function copies(s: Structure, nx: number, ny: number, gapA: number): Structure {
  const { min, max } = structureBounds(s);
  const dx = max[0] - min[0] + gapA, dy = max[1] - min[1] + gapA;
  const chains = [];
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) {
    for (const c of s.chains) {
      chains.push({ id: `${c.id}${i}${j}`, residues: c.residues.map((r) => ({ ...r, atoms: r.atoms.map((a) => ({ ...a, x: a.x + i * dx, y: a.y + j * dy })) })) });
    }
  }
  return { chains, source: `${nx}x${ny} copies of ${s.source}` };
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function runCase(name: string, dir: string): Row {
  const s = name === 'example-78nt'
    ? readStructure(`${dir}/structures/cryoread_6v5b_drna.pdb`)
    : copies(readStructure(`${dir}/structures/occupancy_RNA3.pdb`), 2, 2, 10);
  const nt = Structure.nucleotides(s).length;
  const [map, mapMs] = time(() => simulateMap(s, { resolutionA: 3.7 }));
  const [, noiseMapMs] = time(() => simulateMap(s, { resolutionA: 3.7, voxelSizeA: 1.05, noiseSnr: 2.5, localAmplitudeJitter: 0.3, bFactor: 20, seed: 1 }));
  const [, labelsMs] = time(() => labelMaps(s, map));
  const [, oracleMs] = time(() => oracleProbabilities(s, map, { dropout: 0.1, falsePositiveRate: 0.1, baseTypeAccuracy: 0.9 }));
  const [nz, ny, nx] = map.shape;
  return {
    case: name, nt, atoms: Structure.atomCount(s), grid: `${nx}x${ny}x${nz}`, mapMs, noiseMapMs, labelsMs, oracleMs,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

const dir = sharedDataDir();
const caseArg = process.argv.indexOf('--case');
if (!dir) {
  process.stderr.write('bench/simulate: needs ../shared/data (set CRYOREAD_SHARED_DATA)\n');
  process.exit(1);
} else if (caseArg >= 0) {
  process.stdout.write(JSON.stringify(runCase(process.argv[caseArg + 1], dir)) + '\n');
} else {
  const rows: Row[] = [];
  for (const c of ['example-78nt', 'rna3-x4-3000nt']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', c], { encoding: 'utf8' });
    if (r.status !== 0) { process.stderr.write(r.stderr); process.exit(1); }
    rows.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  const head = ['case', 'nt', 'atoms', 'grid (1 A)', 'map ms', 'map+noise 1.05 A ms', 'labels ms', 'oracle ms', 'peak RSS MB'];
  const body = rows.map((r) => [r.case, r.nt, r.atoms, r.grid, r.mapMs, r.noiseMapMs, r.labelsMs, r.oracleMs, r.peakRssMB]
    .map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(0)) : v)));
  const w = head.map((h, k) => Math.max(h.length, ...body.map((b) => b[k].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, k) => c.padEnd(w[k])).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));
}
