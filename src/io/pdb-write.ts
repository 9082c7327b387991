/**
 * PDB writer (wwPDB format v3.3 columns): ATOM/HETATM with per-chain numbering as given in the
 * Structure, a TER after each chain, element symbols in columns 77-78, atom names aligned as the
 * spec says (a one-letter element's name starts in column 14, four-character names and two-letter
 * elements in column 13), a CRYST1 1 A P1 placeholder and END.
 *
 * The PDB format cannot hold more than 62 single-character chain ids (A-Z, a-z, 0-9), more than
 * 99,999 atoms, residue numbers outside -999..9999 or coordinates outside -999.999..9999.999: such a
 * structure throws PdbLimitError (write mmCIF instead; `writeStructure(path, s, { fallbackToMmcif: true })`
 * does that automatically). Multi-character or repeated chain ids of a structure with <= 62 chains are
 * written as unused single characters, and the mapping is listed in REMARK 999 lines.
 */
import type { Structure } from '../structure/model.js';
import { isModifiedNucleotide } from '../structure/names.js';
import { StructureFormatError } from '../util/errors.js';

/** A structure that does not fit the fixed-column PDB format; write mmCIF instead. */
export class PdbLimitError extends StructureFormatError {}

export interface PdbWriteOptions {
  /** Free-text lines written as `REMARK 999 ...` at the top. */
  remarks?: string[];
  /** Write a `CRYST1 1 A P1` placeholder line. @default true */
  cryst1?: boolean;
}

const CHAIN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MAX_ATOMS = 99999;

/** The residue name written to files: modified nucleotides keep their own name, others the normalised one. */
export function residueNameForFile(r: { name: string; originalName: string }): string {
  return isModifiedNucleotide(r.originalName) ? r.originalName : r.name;
}

/** Atom name in columns 13-16 per the PDB spec alignment rule. */
export function pdbAtomNameField(name: string, element: string): string {
  if (name.length >= 4) return name.slice(0, 4);
  const el = element.toUpperCase();
  if (el.length === 2 && name.toUpperCase().startsWith(el)) return name.padEnd(4);
  return (' ' + name).padEnd(4);
}

function limit(what: string, source?: string): never {
  throw new PdbLimitError('PDB_LIMIT', `${source ?? 'structure'}: ${what}; write mmCIF (.cif) instead or pass { fallbackToMmcif: true } to writeStructure`, source);
}

/**
 * Single-character chain ids for writing: the first chain with a given one-character id keeps it;
 * multi-character ids and repeated ids get unused characters of A-Z, a-z, 0-9 (listed as remarks).
 */
function pdbChainIds(s: Structure): { ids: string[]; remarks: string[] } {
  if (s.chains.length > CHAIN_ALPHABET.length) limit(`${s.chains.length} chains exceed the 62 single-character chain ids a PDB file can hold`, s.source);
  const taken = new Set<string>();
  const ids: (string | undefined)[] = s.chains.map((c) => {
    if (c.id.length <= 1 && !taken.has(c.id)) {
      taken.add(c.id);
      return c.id;
    }
    return undefined;
  });
  const free = [...CHAIN_ALPHABET].filter((c) => !taken.has(c));
  const remarks: string[] = [];
  let k = 0;
  s.chains.forEach((c, i) => {
    if (ids[i] !== undefined) return;
    const id = free[k++];
    if (id === undefined) limit(`${s.chains.length} chains do not fit single-character PDB chain ids`, s.source);
    ids[i] = id;
    remarks.push(`CHAIN ${c.id} WRITTEN AS ${id}`);
  });
  return { ids: ids as string[], remarks };
}

function coord(v: number, source?: string): string {
  const t = v.toFixed(3);
  if (t.length > 8) limit(`coordinate ${t} does not fit the 8-column PDB field`, source);
  return t.padStart(8);
}

function fixed62(v: number): string {
  return Math.min(999.99, Math.max(-99.99, v)).toFixed(2).padStart(6);
}

/** PDB text of a structure. Throws PdbLimitError when the structure does not fit the format. */
export function pdbString(s: Structure, opts: PdbWriteOptions = {}): string {
  let total = 0;
  for (const c of s.chains) for (const r of c.residues) total += r.atoms.length;
  if (total + s.chains.length > MAX_ATOMS) limit(`${total} atoms (+ ${s.chains.length} TER records) exceed the 99,999 serial numbers of a PDB file`, s.source);
  const { ids, remarks: chainRemarks } = pdbChainIds(s);
  const out: string[] = [];
  for (const r of [...(opts.remarks ?? []), ...chainRemarks]) {
    for (const line of r.split('\n')) out.push(('REMARK 999 ' + line).slice(0, 80));
  }
  if (opts.cryst1 ?? true) out.push('CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1          ');
  let serial = 0;
  s.chains.forEach((chain, ci) => {
    const cid = ids[ci] === '' ? ' ' : ids[ci];
    let last: { resName: string; seq: string; ins: string } | null = null;
    for (const res of chain.residues) {
      const resName = residueNameForFile(res);
      if (resName.length > 3) limit(`residue name '${resName}' (chain ${chain.id} ${res.seqNum}) is longer than 3 characters`, s.source);
      if (res.seqNum < -999 || res.seqNum > 9999 || !Number.isInteger(res.seqNum)) limit(`residue number ${res.seqNum} (chain ${chain.id}) does not fit columns 23-26`, s.source);
      const seq = String(res.seqNum).padStart(4);
      const ins = (res.insCode || ' ').slice(0, 1);
      for (const a of res.atoms) {
        serial++;
        const rec = a.hetero ? 'HETATM' : 'ATOM  ';
        const el = a.element.toUpperCase().slice(0, 2).padStart(2);
        out.push(
          rec + String(serial).padStart(5) + ' ' + pdbAtomNameField(a.name, a.element) + ' ' + resName.padStart(3) + ' ' + cid + seq + ins + '   ' +
            coord(a.x, s.source) + coord(a.y, s.source) + coord(a.z, s.source) + fixed62(a.occupancy) + fixed62(a.bFactor) + '          ' + el + '  ',
        );
      }
      last = { resName, seq, ins };
    }
    if (last) {
      serial++;
      out.push(('TER   ' + String(serial).padStart(5) + '      ' + last.resName.padStart(3) + ' ' + cid + last.seq + last.ins).padEnd(80));
    }
  });
  out.push('END'.padEnd(80));
  return out.map((l) => l.trimEnd()).join('\n') + '\n';
}
