/**
 * TEMPORARY test-only oracle (until src/simulate oracleProbabilities and src/io readStructure land):
 * a minimal PDB ATOM reader and Gaussian blobs at phosphate / sugar / base atoms on a 1 A grid.
 */
import { readFileSync } from 'node:fs';
import { ProbabilityMaps } from '../../src/grid/probability-maps.js';
import type { GridFrame } from '../../src/grid/volume.js';

export interface MiniAtom { chain: string; resSeq: number; resName: string; name: string; x: number; y: number; z: number }

const NA: Record<string, string> = { A: 'A', C: 'C', G: 'G', U: 'U', DA: 'A', DC: 'C', DG: 'G', DT: 'T', T: 'T' };

export function readPdbMini(path: string): MiniAtom[] {
  const out: MiniAtom[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('ENDMDL')) break;
    if (!line.startsWith('ATOM') && !line.startsWith('HETATM')) continue;
    const alt = line[16];
    if (alt !== ' ' && alt !== 'A') continue;
    const el = line.slice(76, 78).trim();
    if (el === 'H') continue;
    out.push({
      chain: line[21], resSeq: +line.slice(22, 26), resName: line.slice(17, 20).trim(),
      name: line.slice(12, 16).trim().replace(/\*/g, "'").replace(/^O1P$/, 'OP1').replace(/^O2P$/, 'OP2'),
      x: +line.slice(30, 38), y: +line.slice(38, 46), z: +line.slice(46, 54),
    });
  }
  return out;
}

const PHOS = new Set(['P', 'OP1', 'OP2', 'OP3']);
const SUGAR = new Set(["C1'", "C2'", "C3'", "C4'", "O4'", "C5'"]);
const BACKBONE = new Set([...PHOS, ...SUGAR, "O2'", "O3'", "O5'"]);

export function miniOracle(atoms: MiniAtom[], sigmaA = 1.0, padA = 6): ProbabilityMaps {
  let lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const a of atoms) {
    const p = [a.x, a.y, a.z];
    for (let k = 0; k < 3; k++) { lo[k] = Math.min(lo[k], p[k]); hi[k] = Math.max(hi[k], p[k]); }
  }
  lo = lo.map((v) => Math.floor(v - padA));
  const n = hi.map((v, k) => Math.ceil(v + padA - lo[k]) + 1);
  const frame: GridFrame = { shape: [n[2], n[1], n[0]], voxelSizeA: [1, 1, 1], originA: [lo[0], lo[1], lo[2]] };
  const pm = ProbabilityMaps.create(frame);
  const r = Math.ceil(3 * sigmaA);
  const put = (arr: Float32Array, a: MiniAtom) => {
    const cx = a.x - lo[0], cy = a.y - lo[1], cz = a.z - lo[2];
    for (let z = Math.floor(cz - r); z <= Math.ceil(cz + r); z++) for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2;
      const v = Math.exp(-d2 / (2 * sigmaA * sigmaA));
      const o = (z * n[1] + y) * n[0] + x;
      if (v > arr[o]) arr[o] = v;
    }
  };
  const typeChan = { A: 'A', C: 'C', G: 'G', U: 'UT', T: 'UT' } as const;
  for (const a of atoms) {
    const base = NA[a.resName];
    if (!base) { put(pm.channels.protein, a); continue; }
    if (PHOS.has(a.name)) put(pm.channels.phosphate, a);
    else if (SUGAR.has(a.name)) put(pm.channels.sugar, a);
    else if (!BACKBONE.has(a.name)) { put(pm.channels.base, a); put(pm.channels[typeChan[base as keyof typeof typeChan]], a); }
  }
  return pm;
}

/** C4' positions per chain in residue order. */
export function c4Atoms(atoms: MiniAtom[]): MiniAtom[] {
  return atoms.filter((a) => a.name === "C4'" && NA[a.resName]);
}
