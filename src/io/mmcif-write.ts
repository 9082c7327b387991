/**
 * mmCIF (PDBx) writer. One data block with what the PDB (OneDep), Phenix and Coot read:
 *   _entry, _exptl (method), _software, _em_3d_reconstruction (resolution, when given),
 *   _entity, _entity_poly, _entity_poly_seq, _chem_comp, _struct_asym, _pdbx_poly_seq_scheme,
 *   _atom_site with label ids (label_asym_id unique per chain instance, label_entity_id, label_seq_id =
 *   position in the entity's sequence) and author ids (auth_asym_id = the Structure's chain id,
 *   multi-character ok; auth_seq_id = its residue number).
 * Entities: given by the caller (`entities`: e.g. one per FASTA record, its full sequence, chain
 * residue numbers = sequence positions), else one polymer entity per chain with the chain's own
 * residues as its sequence (label_seq_id 1..n in chain order). Non-polymer residues get one
 * non-polymer entity per component and one asym per chain and component.
 * No limit on atom or chain counts.
 */
import type { Residue, Structure } from '../structure/model.js';
import { StructureFormatError } from '../util/errors.js';
import { residueNameForFile } from './pdb-write.js';

/** A polymer entity: its full sequence and the chains (indices into Structure.chains) that hold it. */
export interface MmcifEntity {
  /** `_entity.pdbx_description`, e.g. the FASTA header. */
  description: string;
  moleculeType: 'rna' | 'dna' | 'protein';
  /** Full sequence as component ids (A/C/G/U/N for RNA, DA/DC/DG/DT/DN for DNA). */
  sequence: string[];
  /** Chains of this entity; their residue numbers (seqNum) are 1-based positions in `sequence`. */
  chains: number[];
}

export interface MmcifWriteOptions {
  /** Data block name (`data_<name>`). @default "cryoread" */
  blockName?: string;
  /** Free-text lines written as CIF comments at the top. */
  remarks?: string[];
  /** Polymer entities (see MmcifEntity); chains not named in any get an entity of their own. */
  entities?: MmcifEntity[];
  /** `_exptl.method`, e.g. 'ELECTRON MICROSCOPY'. */
  method?: string;
  /** `_em_3d_reconstruction.resolution` in A. */
  resolutionA?: number;
  /** `_software` rows. */
  software?: { name: string; version: string; classification: string }[];
}

const RESERVED = /^(data_|save_|loop_$|global_$|stop_$)/i;

/** A CIF value, quoted when needed ('' for empty strings). */
export function cifQuote(v: string): string {
  if (v === '') return "''";
  // Values containing a quote are quoted too (legal unquoted in CIF 1.1, but "C4'" is what readers expect).
  const needs = /[\s'"]/.test(v) || /^[_#$[\];]/.test(v) || v === '.' || v === '?' || RESERVED.test(v);
  if (!needs) return v;
  if (!/[\n\r]/.test(v)) {
    if (!/"(\s|$)/.test(v)) return `"${v}"`;
    if (!/'(\s|$)/.test(v)) return `'${v}'`;
  }
  return `\n;${v}\n;\n`;
}

const ATOM_FIELDS = [
  'group_PDB', 'id', 'type_symbol', 'label_atom_id', 'label_alt_id', 'label_comp_id', 'label_asym_id', 'label_entity_id',
  'label_seq_id', 'pdbx_PDB_ins_code', 'Cartn_x', 'Cartn_y', 'Cartn_z', 'occupancy', 'B_iso_or_equiv', 'pdbx_formal_charge',
  'auth_seq_id', 'auth_comp_id', 'auth_asym_id', 'auth_atom_id', 'pdbx_PDB_model_num',
];

/** label_asym_id number k: A..Z, AA..ZZ, AAA... (as the PDB assigns them). */
export function labelAsymId(k: number): string {
  let s = '';
  let n = k;
  do { s = String.fromCharCode(65 + (n % 26)) + s; n = Math.floor(n / 26) - 1; } while (n >= 0);
  return s;
}

const POLY_TYPE = { rna: 'polyribonucleotide', dna: 'polydeoxyribonucleotide', protein: 'polypeptide(L)' } as const;
const COMP_TYPE = { rna: 'RNA linking', dna: 'DNA linking', protein: 'L-peptide linking' } as const;
const ONE_LETTER: Record<string, string> = { DA: 'A', DC: 'C', DG: 'G', DT: 'T', DN: 'N', DU: 'U' };

function oneLetter(comp: string, kind: 'rna' | 'dna' | 'protein', canonical: boolean): string {
  if (kind === 'protein') return comp.length === 1 ? comp : canonical ? 'X' : `(${comp})`;
  if (comp.length === 1) return comp;
  if (ONE_LETTER[comp]) return canonical ? ONE_LETTER[comp] : `(${comp})`;
  return canonical ? 'N' : `(${comp})`;
}

function loop(out: string[], category: string, fields: string[], rows: (string | number)[][]): void {
  if (rows.length === 0) return;
  if (rows.length === 1) {
    const w = Math.max(...fields.map((f) => f.length)) + category.length + 2;
    fields.forEach((f, i) => out.push(`${`_${category}.${f}`.padEnd(w)} ${rows[0][i]}`));
  } else {
    out.push('loop_', ...fields.map((f) => `_${category}.${f}`));
    for (const r of rows) out.push(r.join(' '));
  }
  out.push('#');
}

interface Asym { label: string; entity: number; chain: number; residues: Residue[]; labelSeq: (r: Residue) => number | null }

/** mmCIF text of a structure. */
export function mmcifString(s: Structure, opts: MmcifWriteOptions = {}): string {
  const name = (opts.blockName ?? 'cryoread').replace(/\s+/g, '_');
  const polymer = (r: Residue) => r.kind !== 'other';
  // Entities: given ones first, then one per remaining chain with polymer residues, then non-polymers.
  interface Ent { type: 'polymer' | 'non-polymer'; description: string; kind?: 'rna' | 'dna' | 'protein'; sequence?: string[]; comp?: string }
  const entities: Ent[] = [];
  const entityOfChain = new Map<number, number>();
  for (const e of opts.entities ?? []) {
    entities.push({ type: 'polymer', description: e.description, kind: e.moleculeType, sequence: e.sequence });
    for (const ci of e.chains) {
      if (entityOfChain.has(ci)) throw new StructureFormatError('CIF_ENTITY', `mmCIF writer: chain ${s.chains[ci]?.id} is given to two entities; each chain belongs to one`, name);
      entityOfChain.set(ci, entities.length);
    }
  }
  const asyms: Asym[] = [];
  s.chains.forEach((chain, ci) => {
    const poly = chain.residues.filter(polymer);
    if (poly.length) {
      let entity = entityOfChain.get(ci);
      if (entity === undefined) {
        const counts = { rna: 0, dna: 0, protein: 0 };
        for (const r of poly) counts[r.kind as 'rna' | 'dna' | 'protein']++;
        const kind = counts.protein > counts.rna + counts.dna ? 'protein' : counts.dna > counts.rna ? 'dna' : 'rna';
        entities.push({ type: 'polymer', description: `chain ${chain.id}`, kind, sequence: poly.map(residueNameForFile) });
        entity = entities.length;
        const index = new Map(poly.map((r, k) => [r, k + 1]));
        asyms.push({ label: '', entity, chain: ci, residues: poly, labelSeq: (r) => index.get(r) ?? null });
      } else {
        const seqLen = entities[entity - 1].sequence!.length;
        for (const r of poly) {
          if (!Number.isInteger(r.seqNum) || r.seqNum < 1 || r.seqNum > seqLen) {
            throw new StructureFormatError('CIF_ENTITY', `mmCIF writer: chain ${chain.id} residue ${r.seqNum} is outside its entity's sequence (1..${seqLen}); residue numbers of an entity's chains must be sequence positions`, name);
          }
        }
        asyms.push({ label: '', entity, chain: ci, residues: poly, labelSeq: (r) => r.seqNum });
      }
    }
    const others = new Map<string, Residue[]>();
    for (const r of chain.residues) if (!polymer(r)) { const c = residueNameForFile(r); others.set(c, [...(others.get(c) ?? []), r]); }
    for (const [comp, residues] of others) {
      let entity = entities.findIndex((e) => e.type === 'non-polymer' && e.comp === comp) + 1;
      if (!entity) { entities.push({ type: 'non-polymer', description: comp, comp }); entity = entities.length; }
      asyms.push({ label: '', entity, chain: ci, residues, labelSeq: () => null });
    }
  });
  asyms.forEach((a, k) => { a.label = labelAsymId(k); });

  const out: string[] = [];
  for (const r of opts.remarks ?? []) for (const line of r.split('\n')) out.push('# ' + line);
  out.push(`data_${name}`, '#', `_entry.id ${cifQuote(name)}`, '#');
  if (opts.method) loop(out, 'exptl', ['entry_id', 'method'], [[cifQuote(name), cifQuote(opts.method)]]);
  if (opts.resolutionA !== undefined && Number.isFinite(opts.resolutionA)) loop(out, 'em_3d_reconstruction', ['id', 'entry_id', 'resolution', 'resolution_method'], [['1', cifQuote(name), opts.resolutionA.toFixed(2), '?']]);
  if (opts.software?.length) loop(out, 'software', ['pdbx_ordinal', 'name', 'version', 'classification'], opts.software.map((x, i) => [i + 1, cifQuote(x.name), cifQuote(x.version), cifQuote(x.classification)]));
  const strands = (e: number) => asyms.filter((a) => a.entity === e && entities[e - 1].type === 'polymer').map((a) => s.chains[a.chain].id);
  loop(out, 'entity', ['id', 'type', 'src_method', 'pdbx_description', 'pdbx_number_of_molecules'],
    entities.map((e, i) => [i + 1, e.type, 'man', cifQuote(e.description || '?'), asyms.filter((a) => a.entity === i + 1).length]));
  const polys = entities.map((e, i) => ({ e, id: i + 1 })).filter((x) => x.e.type === 'polymer');
  loop(out, 'entity_poly', ['entity_id', 'type', 'nstd_linkage', 'nstd_monomer', 'pdbx_seq_one_letter_code', 'pdbx_seq_one_letter_code_can', 'pdbx_strand_id'],
    polys.map(({ e, id }) => [id, cifQuote(POLY_TYPE[e.kind!]), 'no', 'no',
      cifQuote(e.sequence!.map((c) => oneLetter(c, e.kind!, false)).join('')), cifQuote(e.sequence!.map((c) => oneLetter(c, e.kind!, true)).join('')),
      cifQuote(strands(id).join(',') || '?')]));
  loop(out, 'entity_poly_seq', ['entity_id', 'num', 'mon_id', 'hetero'], polys.flatMap(({ e, id }) => e.sequence!.map((c, k) => [id, k + 1, cifQuote(c), 'n'])));
  const comps = new Map<string, string>();
  for (const { e } of polys) for (const c of e.sequence!) comps.set(c, COMP_TYPE[e.kind!]);
  for (const a of asyms) for (const r of a.residues) if (!comps.has(residueNameForFile(r))) comps.set(residueNameForFile(r), r.kind === 'other' ? 'non-polymer' : COMP_TYPE[r.kind]);
  loop(out, 'chem_comp', ['id', 'type', 'mon_nstd_flag'], [...comps].sort(([a], [b]) => a.localeCompare(b)).map(([c, t]) => [cifQuote(c), cifQuote(t), t === 'non-polymer' ? '.' : 'y']));
  loop(out, 'struct_asym', ['id', 'pdbx_blank_PDB_chainid_flag', 'pdbx_modified', 'entity_id', 'details'], asyms.map((a) => [a.label, 'N', 'N', a.entity, '?']));
  // Which entity position each chain instance models (and under which author number).
  const scheme: (string | number)[][] = [];
  for (const a of asyms) {
    const e = entities[a.entity - 1];
    if (e.type !== 'polymer') continue;
    const at = new Map<number, Residue>();
    for (const r of a.residues) { const k = a.labelSeq(r); if (k !== null) at.set(k, r); }
    const auth = cifQuote(s.chains[a.chain].id);
    e.sequence!.forEach((c, k) => {
      const r = at.get(k + 1);
      scheme.push([a.label, a.entity, k + 1, cifQuote(c), k + 1, r ? r.seqNum : k + 1, r ? r.seqNum : '?', r ? cifQuote(residueNameForFile(r)) : '?', r ? cifQuote(residueNameForFile(r)) : '?', auth, r?.insCode ? cifQuote(r.insCode) : '.', 'n']);
    });
  }
  loop(out, 'pdbx_poly_seq_scheme', ['asym_id', 'entity_id', 'seq_id', 'mon_id', 'ndb_seq_num', 'pdb_seq_num', 'auth_seq_num', 'pdb_mon_id', 'auth_mon_id', 'pdb_strand_id', 'pdb_ins_code', 'hetero'], scheme);

  out.push('loop_');
  for (const f of ATOM_FIELDS) out.push(`_atom_site.${f}`);
  let serial = 0;
  // Atoms in chain order (then residue order), each residue under its asym.
  const asymOf = new Map<Residue, Asym>();
  for (const a of asyms) for (const r of a.residues) asymOf.set(r, a);
  for (const chain of s.chains) {
    for (const res of chain.residues) {
      const a = asymOf.get(res)!;
      const comp = cifQuote(residueNameForFile(res));
      const k = a.labelSeq(res);
      const labelSeq = k === null ? '.' : String(k);
      const ins = res.insCode ? cifQuote(res.insCode) : '?';
      const auth = cifQuote(chain.id);
      for (const atom of res.atoms) {
        serial++;
        const an = cifQuote(atom.name);
        out.push([
          atom.hetero ? 'HETATM' : 'ATOM', serial, cifQuote(atom.element || '?'), an, '.', comp, a.label, a.entity, labelSeq, ins,
          atom.x.toFixed(3), atom.y.toFixed(3), atom.z.toFixed(3), atom.occupancy.toFixed(2), atom.bFactor.toFixed(2), '?',
          res.seqNum, comp, auth, an, '1',
        ].join(' '));
      }
    }
  }
  out.push('#');
  return out.join('\n') + '\n';
}
