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
