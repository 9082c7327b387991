/**
 * Typed errors. Every message is one line naming the file (or value), the field and the fix.
 * Library code throws these; only the CLI turns them into exit codes.
 */
export class CryoreadError extends Error {
  /** Stable machine-readable code, e.g. 'MRC_TRUNCATED'. */
  readonly code: string;
  /** File the problem was found in, when there is one. */
  readonly source?: string;
  constructor(code: string, message: string, source?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.source = source;
  }
}

/** A map file (MRC/CCP4) that cannot be read as asked. */
export class MrcFormatError extends CryoreadError {}
/** A coordinate file (PDB/mmCIF) that cannot be read. */
export class StructureFormatError extends CryoreadError {}
/** A FASTA file that cannot be used. */
export class FastaFormatError extends CryoreadError {}
/** A caller passed an invalid parameter or input value. */
export class InputError extends CryoreadError {}
/** A model file (ONNX) is missing or has unexpected inputs/outputs. */
export class ModelError extends CryoreadError {}
/** The operation was cancelled through an AbortSignal. */
export class AbortError extends CryoreadError {
  constructor(stage: string) {
    super('ABORTED', `${stage}: aborted by the caller`);
  }
}

/** Codes of plain CryoreadErrors that are about an input file (missing, a folder, bad gzip). */
const INPUT_FILE_CODES = new Set(['FILE_NOT_FOUND', 'FILE_IS_DIRECTORY', 'GZIP_CORRUPT', 'GZIP_TOO_LARGE']);

/** True for errors in what the user gave (files, values): the CLI exits with 2 for these. */
export function isInputError(e: unknown): boolean {
  return e instanceof InputError || e instanceof MrcFormatError || e instanceof StructureFormatError || e instanceof FastaFormatError
    || (e instanceof CryoreadError && INPUT_FILE_CODES.has(e.code));
}

/** CLI exit codes: 0 success, 1 failure during the run, 2 usage or input error, 130 interrupted. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, interrupted: 130 });

/** Exit code for an error that reached the CLI. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof AbortError) return EXIT.interrupted;
  return isInputError(e) ? EXIT.usage : EXIT.failed;
}
