/**
 * mmCIF reader: the `_atom_site` loop of the first data block that has one. Author ids are preferred
 * (auth_asym_id as chain id, multi-character ok; auth_seq_id, auth_comp_id, auth_atom_id), falling
 * back to label_* ids; first model only (pdbx_PDB_model_num), first altloc only (label_alt_id).
 * The writer lives in mmcif-write.ts and is re-exported here.
 */
import type { Structure } from '../structure/model.js';
import { StructureFormatError } from '../util/errors.js';
import { cifColumn, isCifNull, parseCif, type CifCategory } from './cif-tokenizer.js';
import { readFileText } from './read-bytes.js';
import { StructureBuilder } from './structure-builder.js';

export { mmcifString, type MmcifWriteOptions } from './mmcif-write.js';

function column(c: CifCategory, ...names: string[]): ((row: number) => string) | undefined {
  for (const n of names) {
    const col = cifColumn(c, n);
    if (col) return col;
  }
  return undefined;
}

/** Parse mmCIF text. `source` names the file in messages and in `Structure.source`. */
export function parseMmcif(text: string, source = '<mmcif text>'): Structure {
  const blocks = parseCif(text, source);
  const block = blocks.find((b) => b.categories.has('atom_site'));
  if (!block) {
    throw new StructureFormatError('CIF_NO_ATOM_SITE', `${source}: no _atom_site category found in ${blocks.length} data block(s); the file holds no coordinates (or is not mmCIF)`, source);
  }
  const c = block.categories.get('atom_site')!;
  const need = (what: string, ...names: string[]): ((row: number) => string) => {
    const col = column(c, ...names);
    if (!col) throw new StructureFormatError('CIF_MISSING_FIELD', `${source}: _atom_site has no ${names.map((n) => '_atom_site.' + n).join(' or ')} (${what}); re-export the file with full atom_site columns`, source);
    return col;
  };
  const x = need('x coordinate', 'Cartn_x');
  const y = need('y coordinate', 'Cartn_y');
  const z = need('z coordinate', 'Cartn_z');
  const atomName = need('atom name', 'auth_atom_id', 'label_atom_id');
  const resName = need('residue name', 'auth_comp_id', 'label_comp_id');
  const chain = need('chain id', 'auth_asym_id', 'label_asym_id');
  const authSeq = column(c, 'auth_seq_id');
  const labelSeq = column(c, 'label_seq_id');
  const group = column(c, 'group_PDB');
  const alt = column(c, 'label_alt_id', 'auth_alt_id');
  const ins = column(c, 'pdbx_PDB_ins_code');
  const occ = column(c, 'occupancy');
  const bIso = column(c, 'B_iso_or_equiv');
  const elem = column(c, 'type_symbol');
  const model = column(c, 'pdbx_PDB_model_num');
  const b = new StructureBuilder(source);
  const firstModel = model && c.rowCount > 0 ? model(0) : undefined;
  const otherModels = new Set<string>();
  for (let r = 0; r < c.rowCount; r++) {
    if (model && model(r) !== firstModel) {
      otherModels.add(model(r));
      continue;
    }
    let seqText = authSeq ? authSeq(r) : '.';
    if (isCifNull(seqText) && labelSeq) seqText = labelSeq(r);
    const seqNum = isCifNull(seqText) ? 0 : parseInt(seqText, 10);
    const xv = Number(x(r)), yv = Number(y(r)), zv = Number(z(r));
    if (!Number.isFinite(xv) || !Number.isFinite(yv) || !Number.isFinite(zv) || !Number.isFinite(seqNum)) {
      throw new StructureFormatError('CIF_BAD_NUMBER', `${source}: _atom_site row ${r + 1}: coordinates (${x(r)}, ${y(r)}, ${z(r)}) or residue number '${seqText}' are not numbers; fix the file`, source);
    }
    const altV = alt ? alt(r) : '.';
    const insV = ins ? ins(r) : '?';
    const occV = occ ? occ(r) : '1';
    const bV = bIso ? bIso(r) : '0';
    const elV = elem ? elem(r) : '';
    b.add({
      hetero: group ? group(r) === 'HETATM' : false,
      name: atomName(r),
      altLoc: isCifNull(altV) ? '' : altV,
      resName: resName(r),
      chainId: chain(r),
      seqNum,
      insCode: isCifNull(insV) ? '' : insV,
      x: xv,
      y: yv,
      z: zv,
      occupancy: isCifNull(occV) ? 1 : Number(occV),
      bFactor: isCifNull(bV) ? 0 : Number(bV),
      element: isCifNull(elV) ? '' : elV.replace(/[^A-Za-z]/g, ''),
    });
  }
  if (c.rowCount === 0) throw new StructureFormatError('CIF_NO_ATOMS', `${source}: _atom_site has no rows`, source);
  if (otherModels.size > 0) b.addWarning(`${otherModels.size + 1} models in the file; only the first (model ${firstModel}) was read`);
  return b.finish();
}

/** Read an mmCIF file (`.gz` transparently). */
export function readMmcif(path: string): Structure {
  return parseMmcif(readFileText(path), path);
}
