/**
 * What the chains of a built model are, for the files and the summary: which chains carry the FASTA
 * sequence (record, residue range) and which are unassigned fragments (geometry-only letters), and the
 * PDBx entities that follow from it: one entity per distinct FASTA record sequence (its chains'
 * residue numbers are record positions), one per unassigned chain (its own called sequence).
 * Not in CryoREAD (its mmCIF has no entities and its PDB does not say which chains are assigned).
 */
import type { BuiltStructure } from '../build/build-atoms.js';
import type { MmcifEntity } from '../io/mmcif-write.js';
import { residueNameForFile } from '../io/pdb-write.js';
import type { FastaRecordLike } from './types.js';

export interface AssignedChainRow { chain: string; record: string; recordIndex: number; first: number; last: number; residues: number }
export interface UnassignedChainRow { chain: string; residues: number }
export interface ChainReport { assigned: AssignedChainRow[]; unassigned: UnassignedChainRow[] }

export function chainReport(s: BuiltStructure): ChainReport {
  const assigned: AssignedChainRow[] = [], unassigned: UnassignedChainRow[] = [];
  for (const c of s.chainInfo ?? []) {
    if (c.assigned) assigned.push({ chain: c.id, record: c.assigned.recordChainId, recordIndex: c.assigned.recordIndex, first: c.firstSeqNum, last: c.lastSeqNum, residues: c.residues });
    else unassigned.push({ chain: c.id, residues: c.residues });
  }
  return { assigned, unassigned };
}

/** REMARK lines (<= 69 characters each) listing assigned and unassigned chains. */
export function chainRemarks(r: ChainReport): string[] {
  const lines: string[] = [];
  const pack = (head: string, items: string[]) => {
    if (!items.length) return;
    lines.push(head);
    let cur = ' ';
    for (const it of items) {
      if (cur.length + it.length + 1 > 68) { lines.push(cur.trimEnd()); cur = ' '; }
      cur += it + ' ';
    }
    if (cur.trim()) lines.push(cur.trimEnd());
  };
  pack(`SEQUENCE-ASSIGNED CHAINS (${r.assigned.length}), CHAIN=RECORD:FIRST-LAST,`, r.assigned.map((a) => `${a.chain}=${a.record}:${a.first}-${a.last}`));
  if (r.assigned.length) lines.push(' NUMBERS ARE POSITIONS IN THE FASTA RECORD.');
  pack(`UNASSIGNED CHAINS (${r.unassigned.length}, BASES CALLED FROM THE MAP, NUMBERED 1..N):`, r.unassigned.map((u) => `${u.chain}(${u.residues})`));
  return lines;
}

/** Component id of a FASTA letter. */
function compOf(letter: string, type: 'rna' | 'dna' | 'protein'): string {
  if (type === 'protein') return letter;
  const l = letter === 'T' && type === 'rna' ? 'U' : letter === 'U' && type === 'dna' ? 'T' : letter;
  const base = 'ACGUT'.includes(l) ? l : 'N';
  return type === 'dna' ? `D${base}` : base;
}

/** PDBx entities of a built model (see the module comment). */
export function modelEntities(s: BuiltStructure, records: readonly (FastaRecordLike & { header?: string })[] | null): MmcifEntity[] {
  const entities: MmcifEntity[] = [];
  const byKey = new Map<string, MmcifEntity>();
  const entityOfRecord = new Map<number, MmcifEntity>();
  (s.chainInfo ?? []).forEach((c, ci) => {
    if (!c.assigned || !records?.[c.assigned.recordIndex]) return;
    const rec = records[c.assigned.recordIndex];
    let e = entityOfRecord.get(c.assigned.recordIndex);
    if (!e) {
      const key = `${rec.moleculeType}:${rec.sequence}`;
      e = byKey.get(key);
      if (!e) {
        e = { description: rec.header || `FASTA record ${rec.chainId}`, moleculeType: rec.moleculeType, sequence: [...rec.sequence].map((x) => compOf(x, rec.moleculeType)), chains: [] };
        byKey.set(key, e);
        entities.push(e);
      }
      entityOfRecord.set(c.assigned.recordIndex, e);
    }
    e.chains.push(ci);
    // FASTA N/X positions are modelled with the base the map calls: the entity says what was built.
    for (const r of s.chains[ci].residues) {
      const k = r.seqNum - 1;
      if (k >= 0 && k < e.sequence.length && /^D?N$/.test(e.sequence[k])) e.sequence[k] = residueNameForFile(r);
    }
  });
  (s.chainInfo ?? []).forEach((c, ci) => {
    if (c.assigned && records?.[c.assigned.recordIndex]) return;
    const residues = s.chains[ci].residues;
    const dna = residues.filter((r) => r.kind === 'dna').length > residues.length / 2;
    entities.push({ description: 'unassigned fragment (bases called from the map)', moleculeType: dna ? 'dna' : 'rna', sequence: residues.map(residueNameForFile), chains: [ci] });
  });
  return entities;
}
