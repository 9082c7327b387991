/**
 * `cryoread` command-line entry. Each subcommand lives in src/cli/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (exit code). This file only dispatches and turns typed
 * errors into one-line messages.
 */
import { CryoreadError, exitCodeFor } from './util/errors.js';

interface CommandEntry {
  module: string;
  summary: string;
}

/** Subcommands, in the order `cryoread --help` lists them. */
export const COMMANDS: Record<string, CommandEntry> = {
  build: { module: './cli/build.js', summary: 'build a model from a map (detect -> cluster -> trace -> bases -> sequence -> atoms)' },
  refine: { module: './cli/refine.js', summary: 'real-space refine a model against a map' },
  batch: { module: './cli/batch.js', summary: 'build models for every row of a JOBS.tsv, locally in parallel or as a Slurm job array' },
  'batch-status': { module: './cli/batch-status.js', summary: 'report the jobs of a batch folder (status files, squeue, sacct)' },
  evaluate: { module: './cli/evaluate.js', summary: 'compare a model with a reference structure' },
  validate: { module: './cli/validate.js', summary: 'check model geometry, clashes, chirality, puckers and map fit (no reference needed)' },
  simulate: { module: './cli/simulate.js', summary: 'simulate a density map (+ labels, oracle probabilities) from a structure' },
  'map-info': { module: './cli/map-info.js', summary: 'print an MRC/CCP4 header summary' },
  'structure-info': { module: './cli/structure-info.js', summary: 'print chains and nucleotide counts of a PDB/mmCIF file' },
};

function usage(): string {
  const lines = ['usage: cryoread <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(16)} ${c.summary}`);
  lines.push('', 'Run `cryoread <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(usage() + '\n');
    return cmd ? 0 : 2;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    process.stderr.write(`cryoread: unknown command '${cmd}'\n${usage()}\n`);
    return 2;
  }
  let mod: { run(argv: string[]): Promise<number> };
  try {
    mod = await import(entry.module);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.module.replace('./', '').replace('.js', ''))) {
      process.stderr.write(`cryoread ${cmd}: not built yet in this version (module ${entry.module} is missing)\n`);
      return 3;
    }
    throw e;
  }
  try {
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof CryoreadError) {
      process.stderr.write(`cryoread ${cmd}: ${e.name}: ${e.message}\n`);
      // 2: usage or input error, 1: failure during the run, 130: interrupted.
      return exitCodeFor(e);
    }
    throw e;
  }
}
