/**
 * C4' chirality check of nucleotides: signed volume V = (O4' - C4') . ((C3' - C4') x (C5' - C4')).
 * Natural D-(deoxy)ribose has V < 0: measured on all 7,762 complete nucleotides of the structures in
 * ../shared/data (none positive). A positive V means the sugar was built mirrored, e.g. by a
 * superposition done in a left-handed (index-order) frame (reference §19).
 */
import type { Residue, Structure } from '../structure/model.js';
import { Structure as S } from '../structure/model.js';

/** Signed C4' volume in A^3, or undefined when one of C4', O4', C3', C5' is missing. */
export function c4ChiralVolume(r: Residue): number | undefined {
  const c4 = S.findAtom(r, "C4'"), o4 = S.findAtom(r, "O4'"), c3 = S.findAtom(r, "C3'"), c5 = S.findAtom(r, "C5'");
  if (!c4 || !o4 || !c3 || !c5) return undefined;
  const ax = o4.x - c4.x, ay = o4.y - c4.y, az = o4.z - c4.z;
  const bx = c3.x - c4.x, by = c3.y - c4.y, bz = c3.z - c4.z;
  const cx = c5.x - c4.x, cy = c5.y - c4.y, cz = c5.z - c4.z;
  return ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
}

export interface ChiralityReport {
  /** Nucleotides with all four atoms. */
  checked: number;
  /** Residues with the mirrored (positive) signed volume, as "chain:seqNum". */
  inverted: string[];
}

export function chiralityReport(s: Structure): ChiralityReport {
  let checked = 0;
  const inverted: string[] = [];
  for (const { chain, residue } of S.nucleotides(s)) {
    const v = c4ChiralVolume(residue);
    if (v === undefined) continue;
    checked++;
    if (v > 0) inverted.push(`${chain.id}:${residue.seqNum}${residue.insCode}`);
  }
  return { checked, inverted };
}

/** Number of nucleotides whose C4' chirality is inverted relative to a natural nucleotide. */
export function chiralityInversions(s: Structure): number {
  return chiralityReport(s).inverted.length;
}
