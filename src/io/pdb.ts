/**
 * PDB format reader: ATOM/HETATM records of the first model, first altloc only, fixed columns
 * (wwPDB format v3.3, "Coordinate section"); reading stops at END. A blank chain id falls back to
 * the segment id (columns 73-76). Old v2 names and modified nucleotides are normalised by
 * StructureBuilder. The writer lives in pdb-write.ts and is re-exported here.
 */
import type { Structure } from '../structure/model.js';
import { StructureFormatError } from '../util/errors.js';
import { readFileText } from './read-bytes.js';
import { StructureBuilder } from './structure-builder.js';

export { pdbString, PdbLimitError, type PdbWriteOptions } from './pdb-write.js';

function num(line: string, a: number, b: number, what: string, lineNo: number, source: string): number {
  const t = line.slice(a, b).trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) {
    throw new StructureFormatError('PDB_BAD_NUMBER', `${source}: line ${lineNo}: ${what} (columns ${a + 1}-${b}) is '${t}', expected a number; fix or re-export the file`, source);
  }
  return v;
}

/** Parse PDB text. `source` names the file in messages and in `Structure.source`. */
export function parsePdb(text: string, source = '<pdb text>'): Structure {
  const b = new StructureBuilder(source);
  let models = 0;
  let inFirstModel = true;
  let atomLines = 0;
  let pos = 0;
  let lineNo = 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const rec = line.slice(0, 6);
    if (rec === 'END' || rec === 'END   ') break; // END closes the entry; some files carry a second copy after it
    if (rec === 'MODEL ') {
      models++;
      if (models > 1) inFirstModel = false;
      continue;
    }
    if (rec === 'ENDMDL') {
      inFirstModel = false;
      continue;
    }
    const isAtom = rec === 'ATOM  ';
    const isHet = rec === 'HETATM';
    if (!isAtom && !isHet) continue;
    if (!inFirstModel) continue;
    if (line.length < 54) {
      throw new StructureFormatError('PDB_SHORT_LINE', `${source}: line ${lineNo}: ${rec.trim()} record has ${line.length} characters, coordinates need columns 31-54; the file is truncated or not PDB`, source);
    }
    atomLines++;
    const nameField = line.slice(12, 16);
    const seqText = line.slice(22, 26).trim();
    const seqNum = seqText === '' ? 0 : parseInt(seqText, 10);
    if (!Number.isFinite(seqNum)) {
      throw new StructureFormatError('PDB_BAD_NUMBER', `${source}: line ${lineNo}: residue number (columns 23-26) is '${seqText}', expected an integer (hybrid-36 numbering is not supported; use mmCIF)`, source);
    }
    const occText = line.slice(54, 60).trim();
    const bText = line.slice(60, 66).trim();
    b.add({
      hetero: isHet,
      name: nameField.trim(),
      pdbNameField: nameField,
      altLoc: line[16] === ' ' || line[16] === undefined ? '' : line[16],
      resName: line.slice(17, 20).trim(),
      // A blank chain column with a segment id (columns 73-76, CHARMM/X-PLOR files) uses the segment id.
      chainId: (line[21] ?? ' ').trim() || line.slice(72, 76).trim(),
      seqNum,
      insCode: (line[26] ?? ' ').trim(),
      x: num(line, 30, 38, 'x', lineNo, source),
      y: num(line, 38, 46, 'y', lineNo, source),
      z: num(line, 46, 54, 'z', lineNo, source),
      occupancy: occText === '' ? 1 : Number(occText),
      bFactor: bText === '' ? 0 : Number(bText),
      element: line.length >= 78 ? line.slice(76, 78).trim().replace(/[^A-Za-z]/g, '') : '',
    });
  }
  if (atomLines === 0) {
    throw new StructureFormatError('PDB_NO_ATOMS', `${source}: no ATOM/HETATM records found; is this a PDB file (or mmCIF: use readMmcif)?`, source);
  }
  if (models > 1) b.addWarning(`${models} models in the file; only the first was read`);
  return b.finish();
}

/** Read a PDB file (`.gz` transparently). */
export function readPdb(path: string): Structure {
  return parsePdb(readFileText(path), path);
}
