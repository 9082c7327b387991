/**
 * Structures built in code for the simulate tests, and a small PDB reader for standard-named
 * nucleotide files (used until / unless io readStructure is available).
 */
import { readFileSync } from 'node:fs';
import type { Atom, BaseLetter, Residue, ResidueKind, Structure } from '../../src/structure/model.js';

export function atom(name: string, element: string, x: number, y: number, z: number, bFactor = 0): Atom {
  return { name, element, x, y, z, occupancy: 1, bFactor, hetero: false };
}

export function residue(name: string, kind: ResidueKind, atoms: Atom[], base?: BaseLetter, seqNum = 1): Residue {
  return { name, originalName: name, seqNum, insCode: '', kind, base, atoms };
}

export function structureOf(...residues: Residue[]): Structure {
  return { chains: [{ id: 'A', residues }] };
}

const NT: Record<string, { kind: ResidueKind; base: BaseLetter }> = {
  A: { kind: 'rna', base: 'A' }, C: { kind: 'rna', base: 'C' }, G: { kind: 'rna', base: 'G' }, U: { kind: 'rna', base: 'U' },
  DA: { kind: 'dna', base: 'A' }, DC: { kind: 'dna', base: 'C' }, DG: { kind: 'dna', base: 'G' }, DT: { kind: 'dna', base: 'T' },
};

const AMINO = new Set('ALA ARG ASN ASP CYS GLN GLU GLY HIS ILE LEU LYS MET PHE PRO SER THR TRP TYR VAL MSE'.split(' '));

/** Minimal PDB ATOM reader (first model, altloc ' ' or 'A'); v3 names expected. */
export function readPdbSimple(path: string): Structure {
  const chains = new Map<string, Residue[]>();
  let last = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('ENDMDL')) break;
    if (!line.startsWith('ATOM') && !line.startsWith('HETATM')) continue;
    if (line[16] !== ' ' && line[16] !== 'A') continue;
    const resName = line.slice(17, 20).trim();
    const chainId = line[21];
    const key = `${chainId}:${line.slice(22, 27)}`;
    if (!chains.has(chainId)) chains.set(chainId, []);
    const list = chains.get(chainId)!;
    if (key !== last) {
      const nt = NT[resName];
      list.push(residue(resName, nt ? nt.kind : AMINO.has(resName) ? 'protein' : 'other', [], nt?.base, +line.slice(22, 26)));
      last = key;
    }
    const name = line.slice(12, 16).trim();
    const element = line.slice(76, 78).trim() || name[0];
    list[list.length - 1].atoms.push({ ...atom(name, element, +line.slice(30, 38), +line.slice(38, 46), +line.slice(46, 54), +line.slice(60, 66)), hetero: line.startsWith('HETATM') });
  }
  return { chains: [...chains].map(([id, residues]) => ({ id, residues })), source: path };
}
