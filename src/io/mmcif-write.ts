/**
 * mmCIF writer: one data block with `_entry.id` and an `_atom_site` loop carrying both label and
 * author ids (auth_asym_id = the Structure's chain id, multi-character ok; auth_seq_id = its residue
 * number). No limit on atom or chain counts. label_asym_id repeats the chain id, label_entity_id
 * numbers the chains, label_seq_id counts polymer residues (RNA/DNA/protein) per chain from 1 and is
 * '.' for other residues.
 */
import type { Structure } from '../structure/model.js';
import { residueNameForFile } from './pdb-write.js';

export interface MmcifWriteOptions {
  /** Data block name (`data_<name>`). @default "cryoread" */
  blockName?: string;
  /** Free-text lines written as CIF comments at the top. */
  remarks?: string[];
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

const FIELDS = [
  'group_PDB', 'id', 'type_symbol', 'label_atom_id', 'label_alt_id', 'label_comp_id', 'label_asym_id', 'label_entity_id',
  'label_seq_id', 'pdbx_PDB_ins_code', 'Cartn_x', 'Cartn_y', 'Cartn_z', 'occupancy', 'B_iso_or_equiv', 'pdbx_formal_charge',
  'auth_seq_id', 'auth_comp_id', 'auth_asym_id', 'auth_atom_id', 'pdbx_PDB_model_num',
];

/** mmCIF text of a structure. */
export function mmcifString(s: Structure, opts: MmcifWriteOptions = {}): string {
  const name = (opts.blockName ?? 'cryoread').replace(/\s+/g, '_');
  const out: string[] = [];
  for (const r of opts.remarks ?? []) for (const line of r.split('\n')) out.push('# ' + line);
  out.push(`data_${name}`, '#', `_entry.id ${cifQuote(name)}`, '#', 'loop_');
  for (const f of FIELDS) out.push(`_atom_site.${f}`);
  let serial = 0;
  s.chains.forEach((chain, ci) => {
    const asym = cifQuote(chain.id);
    const entity = String(ci + 1);
    let polySeq = 0;
    for (const res of chain.residues) {
      const comp = cifQuote(residueNameForFile(res));
      const polymer = res.kind !== 'other';
      const labelSeq = polymer ? String(++polySeq) : '.';
      const ins = res.insCode ? cifQuote(res.insCode) : '?';
      const seq = String(res.seqNum);
      for (const a of res.atoms) {
        serial++;
        const an = cifQuote(a.name);
        out.push(
          [
            a.hetero ? 'HETATM' : 'ATOM', serial, cifQuote(a.element || '?'), an, '.', comp, asym, entity, labelSeq, ins,
            a.x.toFixed(3), a.y.toFixed(3), a.z.toFixed(3), a.occupancy.toFixed(2), a.bFactor.toFixed(2), '?',
            seq, comp, asym, an, '1',
          ].join(' '),
        );
      }
    }
  });
  out.push('#');
  return out.join('\n') + '\n';
}
