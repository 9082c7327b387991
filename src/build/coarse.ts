/**
 * Coarse residues (P, sugar point, base centroid) of a real structure: the input that buildAtoms
 * expects, made from a known model. For tests ("coarse, rebuild, compare") and for method work.
 */
import type { Vec3 } from '../grid/volume.js';
import { Structure, type Residue } from '../structure/model.js';
import type { CoarseChain, CoarseResidue } from './types.js';
import { BACKBONE_ATOM_NAMES, SUGAR_RING_ATOM_NAMES, mean, type SugarAnchor } from './template.js';

export interface CoarseFromStructureParams {
  /** Which point becomes `sugarA`: the C4' atom or the furanose-ring centroid. @default "C4'" */
  sugarAnchor: SugarAnchor;
  /** Confidence written to every residue (0..1). @default 1 */
  confidence: number;
}

export const defaultCoarseFromStructureParams: Readonly<CoarseFromStructureParams> = Object.freeze({ sugarAnchor: "C4'", confidence: 1 });

const xyz = (a: { x: number; y: number; z: number }): Vec3 => [a.x, a.y, a.z];

/** Base centroid of a nucleotide: mean of its heavy base atoms, or null when it has none. */
export function baseCentroid(r: Residue): Vec3 | null {
  const pts = r.atoms.filter((a) => !BACKBONE_ATOM_NAMES.has(a.name) && a.element !== 'H' && a.element !== 'D').map(xyz);
  return pts.length ? mean(pts) : null;
}

/** One CoarseChain per chain with nucleotides; residues without a C4' (or ring atoms) are skipped. */
export function coarseFromStructure(s: Structure, params: Partial<CoarseFromStructureParams> = {}): CoarseChain[] {
  const p = { ...defaultCoarseFromStructureParams, ...params };
  const out: CoarseChain[] = [];
  for (const chain of s.chains) {
    const residues: CoarseResidue[] = [];
    for (const r of chain.residues) {
      if (r.kind !== 'rna' && r.kind !== 'dna') continue;
      let sugarA: Vec3 | null = null;
      if (p.sugarAnchor === "C4'") {
        const c4 = Structure.findAtom(r, "C4'");
        sugarA = c4 ? xyz(c4) : null;
      } else {
        const ring = SUGAR_RING_ATOM_NAMES.map((n) => Structure.findAtom(r, n));
        sugarA = ring.every(Boolean) ? mean(ring.map((a) => xyz(a!))) : null;
      }
      if (!sugarA) continue;
      const phos = Structure.findAtom(r, 'P');
      const letter = r.base ?? 'A';
      residues.push({
        seqNum: r.seqNum,
        letter: r.kind === 'rna' && letter === 'T' ? 'U' : r.kind === 'dna' && letter === 'U' ? 'T' : letter,
        moleculeType: r.kind,
        phosphateA: phos ? xyz(phos) : null,
        sugarA,
        baseA: baseCentroid(r),
        confidence: p.confidence,
      });
    }
    if (residues.length) out.push({ chainId: chain.id, residues });
  }
  return out;
}
