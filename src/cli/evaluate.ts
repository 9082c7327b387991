/**
 * `cryoread evaluate MODEL REFERENCE [--json] [--cutoff A] [--compat] [--fasta SEQ]`: CryoREAD's metrics of a
 * model against a reference structure, plus the one-to-one metrics, C4' RMSD, P recall at 3 A, clashes and
 * chirality inversions; with the FASTA the model was built with, register recall compares FASTA positions.
 */
import { parseCommand } from './args.js';
import { readStructure } from '../io/structure-file.js';
import { evaluateModel, chiralityInversions, formatEvaluation, fastaRegisterMaps, modelRecordsFromLetters } from '../evaluate/index.js';
import { readFasta } from '../io/fasta.js';

const USAGE = `usage: cryoread evaluate MODEL REFERENCE [--json] [--cutoff A] [--compat] [--fasta SEQ]

Compares a model (PDB/mmCIF) with a reference structure on DNA/RNA nucleotides.

  coverage / precision        reference (model) nucleotides with a partner centre within the cutoff
  sequence recall / precision one-to-one matches with the same base / reference (used model) nucleotides
  (Match) variants            the same over covered nucleotides only
  mean backbone deviation     CryoREAD's "RMSD": mean over covered references of the mean atom distance
  C4' RMSD                    over residues paired one-to-one by C4' distance (within the cutoff)
  P recall @3A                reference P atoms with a model P within 3 A
  clashes /1000 atoms         model heavy atoms of different residues closer than 2.2 A
  chirality inversions        model nucleotides with a mirrored C4'

options:
  --json        one JSON object with keys coverage, precision, sequenceRecall, sequencePrecision,
                sequenceRecallMatch, sequencePrecisionMatch, meanBackboneDeviationA, rmsdA, pRecall3A,
                clashesPer1000, chiralityInversions, counts, params
  --cutoff A    centre distance cutoff in Angstroms (default 5, as CryoREAD)
  --compat      keep CryoREAD's base label as a 4th centre coordinate (bit-compatible numbers)
  --fasta SEQ   the FASTA the model was built with: register recall then counts pairs at the same FASTA
                record and position (reference chains aligned to the records; model chains numbered by
                record position recognised by their letters), whatever the files' chain ids and numbering
  -h, --help    this text`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<{ json: boolean; cutoff?: string; compat: boolean; fasta?: string }>('evaluate', argv, {
    json: { type: 'boolean', default: false },
    fasta: { type: 'string' },
    cutoff: { type: 'string' },
    compat: { type: 'boolean', default: false },
  }, USAGE, { count: 2, what: 'MODEL and REFERENCE' });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  let cutoffA: number | undefined;
  if (values.cutoff !== undefined) {
    cutoffA = Number(values.cutoff);
    if (!(cutoffA > 0 && cutoffA <= 10)) {
      process.stderr.write(`cryoread evaluate: --cutoff ${values.cutoff} must be a distance in Angstroms in (0, 10]\n`);
      return 2;
    }
  }
  const model = readStructure(positionals[0]);
  const reference = readStructure(positionals[1]);
  const records = values.fasta !== undefined ? readFasta(values.fasta) : null;
  const register = records ? fastaRegisterMaps(reference, records, modelRecordsFromLetters(model, records)) : undefined;
  const m = evaluateModel(model, reference, { ...(cutoffA !== undefined ? { cutoffA } : {}), compat: values.compat }, { register });
  const out = { model: positionals[0], reference: positionals[1], ...m, chiralityInversions: chiralityInversions(model) };
  const json = JSON.stringify(out, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  process.stdout.write((values.json ? json : formatEvaluation(m, { chiralityInversions: out.chiralityInversions })) + '\n');
  return 0;
}
