/** Structures built in code for the simulate tests. */
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
