/**
 * Every structure in ../shared/data/structures parses, and its RNA / DNA nucleotide counts equal the
 * `RNA nt` / `DNA nt` columns of ../shared/data/MANIFEST.md (model 1 of each file).
 *
 * MANIFEST conventions this relies on (all met by the reader itself, no per-file exceptions):
 * - modified nucleotides (PSU, 2MG, 6MZ, 3TD, GF2, TCY, ...) count as nucleotides of their parent;
 * - nucleotides that are free ligands (6 unlinked HETATM dC in ngl_1RB8.pdb, the non-polymer GTP of
 *   rnapolis_8btk_B7.cif) do not count: the reader makes unlinked HETATM nucleotides kind 'other',
 *   while a 5' GTP linked into the chain (biotite_4gxy.cif, rnatools_1xjr.cif) does count;
 * - symmetry copies named A-2/B-2 (rnapolis_4gqj-assembly1.cif) are separate chains and do count;
 * - rnatools_4W90_protein_rna.pdb holds the entry twice, separated by END: reading stops at END;
 * - the free base ADE of rnatools_rna-ru.pdb (1Y26 ligand) is not a nucleotide.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataOrSkip } from '../helpers/shared-data.js';
import { readStructure } from '../../src/io/structure-file.js';

interface ManifestRow { rna: number; dna: number; protein: number }

function parseManifest(text: string): Map<string, ManifestRow> {
  const rows = new Map<string, ManifestRow>();
  let header: string[] | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) { header = null; continue; }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === 'file') { header = cells; continue; }
    if (!header || /^-+$/.test(cells[0])) continue;
    const iR = header.indexOf('RNA nt'), iD = header.indexOf('DNA nt'), iP = header.indexOf('protein res');
    if (iR < 0 || iD < 0) continue;
    const rna = Number(cells[iR]), dna = Number(cells[iD]);
    if (cells[iR] === '-' || !Number.isFinite(rna) || !Number.isFinite(dna)) continue;
    rows.set(cells[0], { rna, dna, protein: Number(cells[iP]) });
  }
  return rows;
}

test('every shared structure parses and its RNA/DNA counts match MANIFEST.md', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const manifest = parseManifest(readFileSync(join(dir, 'MANIFEST.md'), 'utf8'));
  assert.ok(manifest.size >= 70, `MANIFEST table parsed: ${manifest.size} rows`);
  const files = readdirSync(join(dir, 'structures')).filter((f) => /\.(pdb|cif|cif\.gz)$/.test(f)).sort();
  assert.ok(files.length >= 75, `${files.length} structure files`);
  const mismatches: string[] = [];
  let checked = 0;
  for (const f of files) {
    const s = readStructure(join(dir, 'structures', f));
    let rna = 0, dna = 0;
    for (const c of s.chains) for (const r of c.residues) {
      if (r.kind === 'rna') rna++;
      else if (r.kind === 'dna') dna++;
      if (r.kind === 'rna' || r.kind === 'dna') assert.ok(r.base, `${f} ${c.id}${r.seqNum}: nucleotide without base`);
    }
    const m = manifest.get(f);
    assert.ok(m, `${f} is listed in MANIFEST.md`);
    checked++;
    if (m.rna !== rna || m.dna !== dna) mismatches.push(`${f}: RNA ${rna} vs ${m.rna}, DNA ${dna} vs ${m.dna}`);
  }
  assert.deepEqual(mismatches, []);
  assert.ok(checked >= 75);
});

test('protein residue counts match MANIFEST.md for protein-only and complex files', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const manifest = parseManifest(readFileSync(join(dir, 'MANIFEST.md'), 'utf8'));
  for (const f of ['daq_3J6B_9.pdb', 'tempy_3MFP.pdb', 'rnapolis_1a9n.cif', 'x3dna_1kx5.pdb', 'occupancy_prots1.pdb', 'rnatools_4W90_protein_rna.pdb']) {
    const s = readStructure(join(dir, 'structures', f));
    let prot = 0;
    for (const c of s.chains) for (const r of c.residues) if (r.kind === 'protein') prot++;
    assert.equal(prot, manifest.get(f)!.protein, f);
  }
});
