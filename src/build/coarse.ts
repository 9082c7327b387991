/**
 * Coarse residues (P, sugar point, base centroid) of a real structure: the input that buildAtoms
 * expects, made from a known model. For tests ("coarse, rebuild, compare") and for method work.
 */
import type { Vec3 } from '../grid/volume.js';
import { Structure, type Residue } from '../structure/model.js';
import type { CoarseChain, CoarseResidue } from './types.js';
import { BACKBONE_ATOM_NAMES, PHOSPHATE_GROUP_ATOM_NAMES, SUGAR_RING_ATOM_NAMES, mean, type PhosphateAnchor, type SugarAnchor } from './template.js';

export interface CoarseFromStructureParams {
  /** Which point becomes `sugarA`: C4', the ring centroid or the centroid of all primed atoms. @default "C4'" */
  sugarAnchor: SugarAnchor;
  /** Which point becomes `phosphateA`: the P atom or the P/OP1/OP2 centroid. @default 'P' */
  phosphateAnchor: PhosphateAnchor;
  /** Confidence written to every residue (0..1). @default 1 */
  confidence: number;
}

export const defaultCoarseFromStructureParams: Readonly<CoarseFromStructureParams> = Object.freeze({ sugarAnchor: "C4'", phosphateAnchor: 'P', confidence: 1 });

const xyz = (a: { x: number; y: number; z: number }): Vec3 => [a.x, a.y, a.z];

/** Base centroid of a nucleotide: mean of its heavy base atoms, or null when it has none. */
export function baseCentroid(r: Residue): Vec3 | null {
  const pts = r.atoms.filter((a) => !BACKBONE_ATOM_NAMES.has(a.name) && a.element !== 'H' && a.element !== 'D').map(xyz);
  return pts.length ? mean(pts) : null;
}

/** Mean of the named atoms (all must be present), or of all primed atoms when `names` is null. */
function anchorPoint(r: Residue, names: readonly string[] | null): Vec3 | null {
  if (names === null) {
    const primed = r.atoms.filter((a) => a.name.includes("'") && a.element !== 'H');
    return primed.length ? mean(primed.map(xyz)) : null;
  }
  const atoms = names.map((n) => Structure.findAtom(r, n));
  return atoms.every(Boolean) ? mean(atoms.map((a) => xyz(a!))) : null;
}

/** One CoarseChain per chain with nucleotides; residues without a C4' (or ring atoms) are skipped. */
export function coarseFromStructure(s: Structure, params: Partial<CoarseFromStructureParams> = {}): CoarseChain[] {
  const p = { ...defaultCoarseFromStructureParams, ...params };
  const out: CoarseChain[] = [];
  for (const chain of s.chains) {
    const residues: CoarseResidue[] = [];
    for (const r of chain.residues) {
      if (r.kind !== 'rna' && r.kind !== 'dna') continue;
      const sugarA = anchorPoint(r, p.sugarAnchor === "C4'" ? ["C4'"] : p.sugarAnchor === 'sugar-centroid' ? SUGAR_RING_ATOM_NAMES : null);
      if (!sugarA) continue;
      const phosphateA = anchorPoint(r, p.phosphateAnchor === 'P' ? ['P'] : PHOSPHATE_GROUP_ATOM_NAMES);
      const letter = r.base ?? 'A';
      residues.push({
        seqNum: r.seqNum,
        letter: r.kind === 'rna' && letter === 'T' ? 'U' : r.kind === 'dna' && letter === 'U' ? 'T' : letter,
        moleculeType: r.kind,
        phosphateA,
        sugarA,
        baseA: baseCentroid(r),
        confidence: p.confidence,
      });
    }
    if (residues.length) out.push({ chainId: chain.id, residues });
  }
  return out;
}
