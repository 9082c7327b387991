/**
 * Input checks of `cryoread build` that need only the inputs, all run before detection starts: the
 * map (header and data: the MRC reader's own checks, then NaN/Inf replacement reported with a count,
 * constant or empty density, a map too small to hold a nucleotide, anisotropic voxels), the FASTA
 * (binary, protein-only, duplicate ids, U and T mixed, N/X dropped), the oracle/reference structures
 * (must hold nucleotides), the detection model and base caller files, and the output folder.
 * Problems that stop the run throw a typed error (exit code 2 in the CLI); recoverable ones come back
 * as warnings, one line each, naming the file.
 *
 * CryoREAD checks none of this up front: a bad FASTA or output path fails after detection, and
 * NaN voxels go through silently.
 */
import { existsSync } from 'node:fs';
import { resolutionFromLabels } from '../io/map-resolution.js';
import { readMrc } from '../io/mrc.js';
import { readStructure } from '../io/structure-file.js';
import { parseFasta, classifySequence, chainIdFromHeader, type FastaRecord } from '../io/fasta.js';
import { readFileBytes } from '../io/read-bytes.js';
import { Structure } from '../structure/model.js';
import type { Volume } from '../grid/volume.js';
import { selectModel } from '../detect/registry.js';
import { CryoreadError, FastaFormatError, InputError, MrcFormatError, StructureFormatError } from '../util/errors.js';
import { baseCallerPath } from './base-caller-path.js';
import { checkOutputDir, type OutputDirCheck } from './output-dir.js';
import type { PipelineParams } from './params.js';

/** A nucleotide spans about 10 A; a map shorter than this along an axis cannot hold one. */
export const MIN_MAP_EXTENT_A = 10;

export interface BuildRequest {
  mapPath: string;
  fastaPath?: string;
  /** --no-seqinfo: the FASTA is checked but not used. */
  ignoreFasta?: boolean;
  oraclePath?: string;
  referencePath?: string;
  outDir: string;
  params: PipelineParams;
}

export interface CheckedBuild {
  map: Volume;
  fasta: FastaRecord[] | null;
  oracle: Structure | null;
  /** Files whose bytes key the resume cache (map, FASTA when used, oracle). */
  inputFiles: string[];
  out: OutputDirCheck;
  warnings: string[];
}

/** Checks of the density values (after the reader replaced NaN/Inf by 0). */
export function checkMapValues(v: Volume, source: string, warnings: string[]): void {
  let min = Infinity, max = -Infinity;
  const d = v.data;
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (!(max > min)) {
    throw new MrcFormatError('MAP_CONSTANT', `${source}: every voxel has the density ${+min.toPrecision(6)}; the map is empty or constant (check the file, or the NaN/Inf values replaced by 0)`, source);
  }
  const [nz, ny, nx] = v.shape;
  const extent = [nx, ny, nz].map((n, k) => n * v.voxelSizeA[k]);
  if (extent.some((e) => e < MIN_MAP_EXTENT_A)) {
    throw new MrcFormatError('MAP_TOO_SMALL', `${source}: the map spans ${extent.map((e) => +e.toFixed(2)).join(' x ')} A, smaller than one nucleotide (${MIN_MAP_EXTENT_A} A) along an axis; give the whole map, not a cut-out`, source);
  }
  const [a, b, c] = v.voxelSizeA;
  if (Math.max(a, b, c) > 1.0001 * Math.min(a, b, c)) {
    warnings.push(`${source}: anisotropic voxels ${[a, b, c].map((x) => +x.toFixed(4)).join(' x ')} A; resampled to a 1 A grid (trilinear)`);
  }
}

/** Warnings about a FASTA that reads but may not say what the user meant. */
export function fastaWarnings(bytes: Uint8Array, records: readonly FastaRecord[], source: string): string[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  const warnings: string[] = [];
  const raw: { header: string; seq: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('>')) raw.push({ header: line.slice(1).trim(), seq: '' });
    else if (!line.startsWith(';') && line.trim()) {
      if (raw.length === 0) raw.push({ header: '', seq: '' });
      raw[raw.length - 1].seq += line.replace(/[\s\d*-]/g, '').toUpperCase();
    }
  }
  const kept = raw.filter((r) => r.seq.length > 0);
  const seen = new Map<string, number>();
  kept.forEach((r, i) => {
    const name = r.header || `record ${i + 1}`;
    const type = classifySequence(r.seq);
    if (type === 'protein') { warnings.push(`${source}: '${name}' is a protein sequence; skipped (only DNA/RNA is assigned)`); return; }
    const nx = (r.seq.match(/[NX]/g) ?? []).length;
    const other = r.seq.length - nx - (r.seq.match(/[ACGTU]/g) ?? []).length;
    if (nx + other > 0) warnings.push(`${source}: '${name}': ${nx + other} symbol(s) other than A/C/G/T/U (N/X${other ? ' and others' : ''}) dropped; unknown residues cannot be aligned`);
    if (r.seq.includes('U') && r.seq.includes('T')) warnings.push(`${source}: '${name}' mixes U (${(r.seq.match(/U/g) ?? []).length}) and T (${(r.seq.match(/T/g) ?? []).length}); read as RNA`);
    const id = chainIdFromHeader(r.header);
    if (id.length === 1) {
      if (seen.has(id)) warnings.push(`${source}: '${name}' asks for chain ${id}, already taken by record ${seen.get(id)! + 1}; given chain ${records[i]?.chainId ?? '?'}`);
      else seen.set(id, i);
    }
  });
  return warnings;
}

/** Reads and checks a FASTA file: binary files and the reader's own errors throw FastaFormatError. */
export function checkFasta(path: string, warnings: string[]): FastaRecord[] {
  const bytes = readFileBytes(path);
  let control = 0;
  for (let i = 0; i < Math.min(bytes.length, 65536); i++) {
    const b = bytes[i];
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13)) control++;
  }
  if (control > 0) throw new FastaFormatError('FASTA_BINARY', `${path}: binary data (${control} control byte(s) in the first 64 KiB), not a FASTA text file; give the sequence file`, path);
  const records = parseFasta(new TextDecoder('utf-8').decode(bytes), path);
  warnings.push(...fastaWarnings(bytes, records, path));
  return records;
}

/** Reads a structure given with `flag` and checks that it holds nucleotides. */
export function checkNucleicStructure(path: string, flag: string, warnings: string[]): Structure {
  const s = readStructure(path);
  const nts = Structure.nucleotides(s).length;
  if (nts === 0) {
    const residues = s.chains.reduce((n, c) => n + c.residues.length, 0);
    throw new StructureFormatError('STRUCTURE_NO_NUCLEIC_ACID', `${flag} ${path}: no DNA/RNA nucleotides among ${residues} residue(s)${residues ? ' (protein or ligands only)' : ''}; give a structure with nucleic acid`, path);
  }
  warnings.push(...(s.warnings ?? []).map((w) => `${path}: ${w}`));
  return s;
}

/** Every check of `cryoread build` that needs only the inputs; throws a CryoreadError on the first fatal one. */
export function preflightBuild(req: BuildRequest): CheckedBuild {
  const warnings: string[] = [];
  const out = checkOutputDir(req.outDir);
  warnings.push(...out.warnings);
  const p = req.params;
  const mrc = readMrc(req.mapPath);
  warnings.push(...mrc.warnings.map((w) => `${req.mapPath}: ${w}`));
  if (Number.isNaN(p.resolutionA)) {
    // Not given: the header may state it; otherwise stop (CryoREAD silently assumed 2.5 A).
    const fromLabel = resolutionFromLabels(mrc.header.labels);
    if (!fromLabel) throw new InputError('CLI_RESOLUTION_MISSING', `${req.mapPath}: no --resolution given and the header labels do not state one; give --resolution R (the map's resolution in A, e.g. the FSC 0.143 value of its EMDB entry)`, req.mapPath);
    p.resolutionA = fromLabel.resolutionA;
    warnings.push(`resolution ${fromLabel.resolutionA} A read from the map header label "${fromLabel.label.trim()}"`);
  }
  if (!(p.resolutionA > 0) || p.resolutionA > 10) {
    throw new InputError('CLI_RESOLUTION', `--resolution ${p.resolutionA}: give the map resolution in A, above 0 and at most 10 (CryoREAD's limit)`);
  }
  checkMapValues(mrc.volume, req.mapPath, warnings);

  const inputFiles = [req.mapPath];
  let fasta: FastaRecord[] | null = null;
  if (req.fastaPath) {
    const records = checkFasta(req.fastaPath, warnings);
    if (!req.ignoreFasta) { fasta = records; inputFiles.push(req.fastaPath); }
  }
  let oracle: Structure | null = null;
  if (req.oraclePath) { oracle = checkNucleicStructure(req.oraclePath, '--oracle', warnings); inputFiles.push(req.oraclePath); }
  if (req.referencePath) checkNucleicStructure(req.referencePath, '--reference', warnings);

  if (!oracle) {
    try {
      const sel = selectModel(p.detection.modelName ?? undefined, { resolutionA: p.resolutionA, ...(p.detection.modelsDir ? { modelsDir: p.detection.modelsDir } : {}) });
      warnings.push(...sel.warnings);
    } catch (e) {
      if (e instanceof CryoreadError) throw new InputError(e.code, e.message, e.source);
      throw e;
    }
    if (p.baseCaller && !p.predictionOnly) {
      const card = baseCallerPath(p.baseCaller, p.detection.modelsDir ?? null);
      if (!existsSync(card)) throw new InputError('BASE_CALLER_NOT_FOUND', `--base-caller ${p.baseCaller}: ${card} not found; give a name under models/, a path to a card, or "none"`, card);
    }
  }
  return { map: mrc.volume, fasta, oracle, inputFiles, out, warnings };
}
