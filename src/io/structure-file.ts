/**
 * Format-independent structure I/O: `readStructure` sniffs PDB vs mmCIF from the content (extension
 * as a tie-breaker; `.gz` handled by read-bytes), `writeStructure` picks the format from the extension
 * (.pdb/.ent -> PDB, .cif/.mmcif -> mmCIF) and writes atomically.
 */
import type { Structure } from '../structure/model.js';
import { StructureFormatError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readFileText } from './read-bytes.js';
import { parsePdb, pdbString, PdbLimitError, type PdbWriteOptions } from './pdb.js';
import { parseMmcif, mmcifString, type MmcifWriteOptions } from './mmcif.js';

export type StructureFormat = 'pdb' | 'mmcif';

/** Format of structure text: mmCIF when it has a `data_` block header or `_atom_site.` tags, PDB when it has ATOM/HETATM records. */
export function sniffStructureFormat(text: string, pathHint = ''): StructureFormat | undefined {
  const head = text.slice(0, 200_000);
  const cif = /^\s*data_\S*/m.test(head) && /^_atom_site\./m.test(text);
  const pdb = /^(ATOM  |HETATM)/m.test(head);
  if (cif && !pdb) return 'mmcif';
  if (pdb && !cif) return 'pdb';
  if (cif && pdb) return /\.(cif|mmcif)(\.gz)?$/i.test(pathHint) ? 'mmcif' : 'pdb';
  if (/^\s*data_/m.test(head)) return 'mmcif';
  if (/\.(cif|mmcif)(\.gz)?$/i.test(pathHint)) return 'mmcif';
  if (/\.(pdb|ent)(\.gz)?$/i.test(pathHint)) return 'pdb';
  return undefined;
}

/** Parse structure text of either format. */
export function parseStructure(text: string, source = '<structure text>'): Structure {
  const fmt = sniffStructureFormat(text, source);
  if (fmt === 'mmcif') return parseMmcif(text, source);
  if (fmt === 'pdb') return parsePdb(text, source);
  throw new StructureFormatError('STRUCTURE_UNKNOWN_FORMAT', `${source}: neither PDB (ATOM/HETATM records) nor mmCIF (data_ block with _atom_site); give a .pdb or .cif file`, source);
}

/** Read a PDB or mmCIF file (optionally gzipped). */
export function readStructure(path: string): Structure {
  return parseStructure(readFileText(path), path);
}

export interface WriteStructureOptions extends PdbWriteOptions, MmcifWriteOptions {
  /**
   * When a `.pdb` path is asked for but the structure does not fit PDB (> 62 chains, > 99,999 atoms,
   * residue numbers beyond 9999 ...), write mmCIF next to it (same path with `.cif`) instead of throwing
   * PdbLimitError. @default false
   */
  fallbackToMmcif?: boolean;
}

/** Format a path's extension asks for. */
export function formatForPath(path: string): StructureFormat {
  if (/\.(cif|mmcif)$/i.test(path)) return 'mmcif';
  if (/\.(pdb|ent)$/i.test(path)) return 'pdb';
  throw new StructureFormatError('STRUCTURE_UNKNOWN_EXTENSION', `${path}: unknown structure extension; use .pdb or .cif`, path);
}

/**
 * Write a structure; returns the path actually written (differs from `path` only when a PDB write
 * fell back to mmCIF: `model.pdb` -> `model.cif`).
 */
export function writeStructure(path: string, s: Structure, opts: WriteStructureOptions = {}): string {
  const fmt = formatForPath(path);
  if (fmt === 'mmcif') {
    writeFileAtomic(path, mmcifString(s, opts));
    return path;
  }
  let text: string;
  try {
    text = pdbString(s, opts);
  } catch (e) {
    if (e instanceof PdbLimitError && opts.fallbackToMmcif) {
      const cifPath = path.replace(/\.(pdb|ent)$/i, '.cif');
      writeFileAtomic(cifPath, mmcifString(s, opts));
      return cifPath;
    }
    throw e;
  }
  writeFileAtomic(path, text);
  return path;
}
