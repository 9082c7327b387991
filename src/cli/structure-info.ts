/**
 * `cryoread structure-info FILE [--json]`: chains and residue counts (RNA / DNA nucleotides, protein
 * residues, other) of a PDB or mmCIF file, after name normalisation.
 */
import { parseCommand } from './args.js';
import { readStructure } from '../io/structure-file.js';
import { Structure } from '../structure/model.js';

const USAGE = `usage: cryoread structure-info FILE [--json]

Reads a PDB or mmCIF file (.gz accepted; first model, first altloc) and prints per chain the number of
RNA and DNA nucleotides (modified nucleotides counted under their parent base), protein residues and
other residues (ligands, ions, water), plus totals and reader warnings.

options:
  --json       one JSON object: file, chains [{chain, rna, dna, protein, other, sequence}], totals
               {chains, rna, dna, protein, other, atoms}, modified [{chain, seqNum, name, parent}], warnings
  -h, --help   this text`;

/** The JSON document `structure-info --json` prints. */
export function structureInfo(path: string, s: Structure): Record<string, unknown> {
  const chains = s.chains.map((c) => {
    const row = { chain: c.id, rna: 0, dna: 0, protein: 0, other: 0, sequence: '' };
    for (const r of c.residues) {
      row[r.kind]++;
      if (r.base) row.sequence += r.base;
    }
    return row;
  });
  const totals = { chains: s.chains.length, rna: 0, dna: 0, protein: 0, other: 0, atoms: Structure.atomCount(s) };
  for (const c of chains) { totals.rna += c.rna; totals.dna += c.dna; totals.protein += c.protein; totals.other += c.other; }
  const modified: { chain: string; seqNum: number; name: string; parent: string }[] = [];
  for (const { chain, residue } of Structure.nucleotides(s)) {
    if (residue.originalName !== residue.name && residue.originalName.length > 1 && !/^D?[ACGTU]$/.test(residue.originalName)) {
      modified.push({ chain: chain.id, seqNum: residue.seqNum, name: residue.originalName, parent: residue.name });
    }
  }
  return { file: path, chains, totals, modified, warnings: s.warnings ?? [] };
}

function table(info: Record<string, unknown>): string {
  const chains = info.chains as { chain: string; rna: number; dna: number; protein: number; other: number }[];
  const t = info.totals as Record<string, number>;
  const w = Math.max(5, ...chains.map((c) => c.chain.length));
  const lines = [`file ${info.file}`, `${'chain'.padEnd(w)}  ${'RNA'.padStart(6)} ${'DNA'.padStart(6)} ${'protein'.padStart(8)} ${'other'.padStart(6)}`];
  for (const c of chains) lines.push(`${c.chain.padEnd(w)}  ${String(c.rna).padStart(6)} ${String(c.dna).padStart(6)} ${String(c.protein).padStart(8)} ${String(c.other).padStart(6)}`);
  lines.push(`${'total'.padEnd(w)}  ${String(t.rna).padStart(6)} ${String(t.dna).padStart(6)} ${String(t.protein).padStart(8)} ${String(t.other).padStart(6)}   (${t.chains} chains, ${t.atoms} atoms)`);
  const mods = info.modified as { chain: string; seqNum: number; name: string; parent: string }[];
  if (mods.length > 0) lines.push(`modified nucleotides: ${mods.map((m) => `${m.chain}${m.seqNum} ${m.name}->${m.parent}`).join(', ')}`);
  for (const wn of info.warnings as string[]) lines.push(`warning: ${wn}`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<{ json: boolean }>('structure-info', argv, { json: { type: 'boolean', default: false } }, USAGE, { count: 1, what: 'one structure file' });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const info = structureInfo(positionals[0], readStructure(positionals[0]));
  process.stdout.write((values.json ? JSON.stringify(info, null, 2) : table(info)) + '\n');
  return 0;
}
