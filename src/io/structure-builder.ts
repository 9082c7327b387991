/**
 * Turns a stream of raw atom records (from the PDB or the mmCIF reader) into a normalised Structure:
 * residues grouped by (chain, number, insertion code, name), first altloc only, PDB v3 atom names,
 * residue kind / parent base / DNA-vs-RNA decided per residue (src/structure/names.ts).
 */
import type { Atom, Chain, Residue, Structure } from '../structure/model.js';
import { Structure as StructureNs } from '../structure/model.js';
import { classifyResidue, formatElement, inferElement, nucleotideInfo, normaliseAtomName } from '../structure/names.js';

/** One ATOM/HETATM record as read from a file (names not yet normalised). */
export interface RawAtomRecord {
  hetero: boolean;
  /** Atom name as written (trimmed), e.g. "C4*". */
  name: string;
  /** PDB columns 13-16 untrimmed (used to infer the element when none is given). */
  pdbNameField?: string;
  /** Alternate location id ('' when none). */
  altLoc: string;
  resName: string;
  chainId: string;
  seqNum: number;
  insCode: string;
  x: number;
  y: number;
  z: number;
  occupancy: number;
  bFactor: number;
  /** Element symbol from the file ('' when absent). */
  element: string;
}

export class StructureBuilder {
  private readonly chains = new Map<string, Chain>();
  private readonly chainOrder: Chain[] = [];
  private current: Residue | null = null;
  private currentKey = '';
  /** (chain|seq|ins) -> the altloc id kept for that residue. */
  private readonly altChosen = new Map<string, string>();
  private skippedAlt = 0;
  private readonly skippedAltResidues = new Set<string>();
  readonly warnings: string[] = [];

  constructor(private readonly source?: string) {}

  add(r: RawAtomRecord): void {
    const resKey = `${r.chainId}\u0000${r.seqNum}\u0000${r.insCode}`;
    if (r.altLoc !== '') {
      const chosen = this.altChosen.get(resKey);
      if (chosen === undefined) this.altChosen.set(resKey, r.altLoc);
      else if (chosen !== r.altLoc) {
        this.skippedAlt++;
        this.skippedAltResidues.add(resKey);
        return;
      }
    }
    const key = `${resKey}\u0000${r.resName}`;
    if (this.current === null || key !== this.currentKey) {
      let chain = this.chains.get(r.chainId);
      if (!chain) {
        chain = { id: r.chainId, residues: [] };
        this.chains.set(r.chainId, chain);
        this.chainOrder.push(chain);
      }
      this.current = { name: r.resName, originalName: r.resName, seqNum: r.seqNum, insCode: r.insCode, kind: 'other', atoms: [] };
      chain.residues.push(this.current);
      this.currentKey = key;
    }
    const element = r.element !== '' ? formatElement(r.element) : inferElement(r.name, r.resName, r.pdbNameField);
    const atom: Atom = { name: r.name, element, x: r.x, y: r.y, z: r.z, occupancy: r.occupancy, bFactor: r.bFactor, hetero: r.hetero };
    this.current.atoms.push(atom);
  }

  addWarning(w: string): void {
    this.warnings.push(w);
  }

  finish(): Structure {
    for (const chain of this.chainOrder) {
      for (const res of chain.residues) finaliseResidue(res);
      demoteFreeNucleotides(chain.residues);
    }
    if (this.skippedAlt > 0) {
      this.warnings.push(`${this.skippedAlt} atoms of alternate locations skipped in ${this.skippedAltResidues.size} residues (first altloc kept)`);
    }
    const s: Structure = { chains: this.chainOrder, source: this.source, warnings: this.warnings };
    return StructureNs.withInspect(s);
  }
}

/** Normalise atom names and set kind / name / base of one residue (in place). */
export function finaliseResidue(res: Residue): void {
  const isNuc = nucleotideInfo(res.originalName) !== undefined;
  const names = new Set<string>();
  for (const a of res.atoms) {
    a.name = normaliseAtomName(a.name, isNuc);
    names.add(a.name);
  }
  const c = classifyResidue(res.originalName, names);
  res.kind = c.kind;
  res.name = c.name;
  if (c.base !== undefined) res.base = c.base;
  else delete res.base;
}

const LINK_MAX_A = 2.2;

function linked(a: Residue | undefined, b: Residue | undefined): boolean {
  if (!a || !b) return false;
  const o3 = a.atoms.find((x) => x.name === "O3'");
  const p = b.atoms.find((x) => x.name === 'P');
  if (!o3 || !p) return false;
  return (o3.x - p.x) ** 2 + (o3.y - p.y) ** 2 + (o3.z - p.z) ** 2 <= LINK_MAX_A * LINK_MAX_A;
}

/**
 * HETATM nucleotides (all atoms HETATM: modified residues, or ligands such as a free GTP or dC) count
 * as polymer residues only when covalently linked (O3'-P <= 2.2 A) to the previous or next residue
 * of their chain; unlinked ones are ligands and become kind 'other' with their file name. ATOM
 * nucleotides are always polymer residues (coarse models have no O3' to test).
 */
export function demoteFreeNucleotides(residues: Residue[]): void {
  for (let i = 0; i < residues.length; i++) {
    const r = residues[i];
    if (r.kind !== 'rna' && r.kind !== 'dna') continue;
    if (r.atoms.length === 0 || !r.atoms.every((a) => a.hetero)) continue;
    if (linked(residues[i - 1], r) || linked(r, residues[i + 1])) continue;
    r.kind = 'other';
    r.name = r.originalName;
    delete r.base;
  }
}
