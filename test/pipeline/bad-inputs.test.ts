/**
 * The bad-input matrix of `cryoread build` (issue 17): one row per input, with the exit code and a
 * message fragment (errors) or warning fragment (inputs that are read with a warning). Every error
 * row must stop before detection starts: no `pipeline/detect` progress event, no output folder and
 * no staging folder left behind. Rows with warnings use --check (inputs checked, nothing built).
 * All rows run in one child process (test/helpers/cli-driver.ts: src/cli.ts main with stdout/stderr
 * captured); a few are repeated as their own process to check the real exit status.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMrc, type MrcSpec } from '../helpers/mrc-builder.js';

const N = 24;
/** A Gaussian blob on a 24^3 grid (1 A voxels): a map every check accepts. */
function blob(n = N): number[] {
  const v: number[] = [];
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const r2 = (x - n / 2) ** 2 + (y - n / 2) ** 2 + (z - n / 2) ** 2;
    v.push(Math.exp(-r2 / 20));
  }
  return v;
}
const good: MrcSpec = { dims: [N, N, N], values: blob() };
const withValues = (f: (v: number[]) => void): MrcSpec => { const v = blob(); f(v); return { ...good, values: v }; };

let dir = '';
const p = (...parts: string[]) => join(dir, ...parts);

const PDB_RNA = [
  'ATOM      1  P     G A   1      10.000  10.000  10.000  1.00 20.00           P',
  "ATOM      2  C4'   G A   1      11.000  12.000  10.000  1.00 20.00           C",
  'ATOM      3  N9    G A   1      12.000  13.000  11.000  1.00 20.00           N',
  'END', ''].join('\n');
const PDB_OLD_NAMES = [
  'ATOM      1  P     G A   1      10.000  10.000  10.000  1.00 20.00           P',
  'ATOM      2  O1P   G A   1      10.500  11.000  10.000  1.00 20.00           O',
  'ATOM      3  C4*   G A   1      11.000  12.000  10.000  1.00 20.00           C',
  'ATOM      4  N9    G A   1      12.000  13.000  11.000  1.00 20.00           N',
  'END', ''].join('\n');
const PDB_PROTEIN = [
  'ATOM      1  N   ALA A   1      10.000  10.000  10.000  1.00 20.00           N',
  'ATOM      2  CA  ALA A   1      11.400  10.000  10.000  1.00 20.00           C',
  'ATOM      3  C   ALA A   1      12.000  11.400  10.000  1.00 20.00           C',
  'END', ''].join('\n');

function files(): void {
  dir = mkdtempSync(join(tmpdir(), 'cryoread-badinput-'));
  const mrc = (name: string, spec: MrcSpec) => writeFileSync(p(name), buildMrc(spec));
  mrc('good.mrc', good);
  mrc('dims-zero.mrc', { ...good, dimsWord: [0, N, N] });
  mrc('dims-negative.mrc', { ...good, dimsWord: [N, -N, N] });
  mrc('dims-huge.mrc', { ...good, dimsWord: [5000, 5000, 5000] });
  mrc('mode-4.mrc', { dims: [N, N, N], mode: 4 });
  mrc('mode-101.mrc', { dims: [N, N, N], mode: 101 });
  mrc('axes-repeat.mrc', { ...good, axisOrder: [1, 1, 3] });
  mrc('axes-4.mrc', { ...good, axisOrder: [1, 2, 4] });
  mrc('cell-zero.mrc', { ...good, cellA: [0, N, N] });
  mrc('cell-nan.mrc', { ...good, cellA: [N, NaN, N] });
  mrc('nsymbt-past-end.mrc', { ...good, nsymbtWord: 10_000_000 });
  mrc('nsymbt-negative.mrc', { ...good, nsymbtWord: -4 });
  mrc('stamp-wrong.mrc', { ...good, stamp: [0x11, 0x11, 0, 0] });
  mrc('stamp-unknown.mrc', { ...good, stamp: [0, 0, 0, 0] });
  mrc('big-endian.mrc', { ...good, littleEndian: false });
  mrc('truncated.mrc', { ...good, truncateBy: 1000 });
  mrc('mx-zero.mrc', { ...good, sampling: [0, N, N], cellA: [N, N, N] });
  mrc('origin-nan.mrc', { ...good, origin: [NaN, 0, 0] });
  mrc('int8.mrc', { dims: [N, N, N], mode: 0, values: blob().map((x) => Math.round(x * 100)) });
  mrc('float16.mrc', { dims: [N, N, N], mode: 12, values: blob() });
  mrc('permuted-axes.mrc', { ...good, axisOrder: [3, 1, 2] });
  writeFileSync(p('empty.mrc'), new Uint8Array(0));
  writeFileSync(p('text.mrc'), 'this is a text file, not a map\n'.repeat(100));
  writeFileSync(p('cut.mrc.gz'), gzipSync(buildMrc(good)).subarray(0, 2000));
  mrc('nan.mrc', withValues((v) => { v[0] = NaN; v[100] = NaN; v[200] = NaN; }));
  mrc('inf.mrc', withValues((v) => { v[5] = Infinity; v[6] = -Infinity; }));
  mrc('all-nan.mrc', { ...good, values: new Array(N ** 3).fill(NaN) });
  mrc('constant.mrc', { ...good, values: new Array(N ** 3).fill(0.7) });
  mrc('zeros.mrc', { dims: [N, N, N] });
  mrc('tiny-4.mrc', { dims: [4, 4, 4], values: Array.from({ length: 64 }, (_, i) => i % 7) });
  mrc('thin-slab.mrc', { dims: [N, N, 3], values: Array.from({ length: N * N * 3 }, (_, i) => (i * 37) % 11) });
  mrc('hexagonal.mrc', { ...good, cellB: [90, 90, 120] });
  mrc('anisotropic.mrc', { ...good, cellA: [N, N * 1.5, N] });
  mkdirSync(p('a-folder.mrc'));

  const fa = (name: string, text: string | Uint8Array) => writeFileSync(p(name), text);
  fa('empty.fasta', '');
  fa('headers-only.fasta', '>A\n>B\n');
  fa('binary.fasta', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3, 4, 0x41, 0x43]));
  fa('protein.fasta', '>P\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQ\n');
  fa('lower.fasta', '>1_A\nacgugcuagcuagcu\n');
  fa('mixed-ut.fasta', '>1_A\nACGUACGTTTACGU\n');
  fa('dup-ids.fasta', '>x_A\nACGUACGU\n>y_A\nGGCCAAUU\n');
  fa('nx-runs.fasta', '>1_A\nACGUNNNNNNACGUXXXACGU\n');
  fa('crlf.fasta', '>1_A\r\nACGUACGU\r\nGGCC\r\n');
  fa('protein-and-rna.fasta', '>P\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEV\n>1_B\nACGUACGUAGCU\n');

  fa('garbage.pdb', 'hello\nthis is not a structure\n');
  fa('empty.pdb', '');
  fa('protein.pdb', PDB_PROTEIN);
  fa('old-names.pdb', PDB_OLD_NAMES);
  fa('rna.pdb', PDB_RNA);

  fa('a-file', 'not a folder\n');
  mkdirSync(p('foreign'));
  fa(join('foreign', 'notes.txt'), 'my notes\n');
  mkdirSync(p('earlier-run'));
  fa(join('earlier-run', 'summary.json'), JSON.stringify({ tool: 'cryoread-ts build' }));
  fa(join('earlier-run', 'CryoREAD.pdb'), PDB_RNA);
}

interface Row {
  name: string;
  /** Arguments after `cryoread build`; `$` prefixes a file in the fixture folder. */
  args: string[];
  code: 0 | 2;
  /** Fragment of the one-line error (code 2) or of a warning (code 0). */
  message?: RegExp;
}

const MAP = '$good.mrc';
const OUT = ['--out', '$out'];
const R = ['--resolution', '3.7'];
const row = (name: string, args: string[], code: 0 | 2, message?: RegExp): Row => ({ name, args, code, message });
const mapRow = (name: string, file: string, code: 0 | 2, message: RegExp) => row(name, [`$${file}`, ...R, ...OUT, ...(code === 0 ? ['--check'] : [])], code, message);
const optRow = (name: string, extra: string[], message: RegExp) => row(name, [MAP, ...OUT, ...extra], 2, message);
const fastaRow = (name: string, file: string, code: 0 | 2, message?: RegExp) => row(name, [MAP, ...R, ...OUT, '--fasta', `$${file}`, ...(code === 0 ? ['--check'] : [])], code, message);

const rows: Row[] = [
  // MRC header fields.
  mapRow('NC = 0', 'dims-zero.mrc', 2, /MrcFormatError: .*dims-zero\.mrc: words 1-3 \(NC, NR, NS\) = 0, 24, 24; every dimension must be positive/),
  mapRow('NR < 0', 'dims-negative.mrc', 2, /NR, NS\) = 24, -24, 24/),
  mapRow('huge dimensions', 'dims-huge.mrc', 2, /125000000000 voxels .*over the memory budget/),
  mapRow('MODE 4 (complex)', 'mode-4.mrc', 2, /word 4 \(MODE\) = 4 is not supported/),
  mapRow('MODE 101 (4-bit)', 'mode-101.mrc', 2, /\(MODE\) = 101 is not supported/),
  mapRow('MAPC/MAPR/MAPS repeat an axis', 'axes-repeat.mrc', 2, /\(MAPC, MAPR, MAPS\) = 1, 1, 3, expected a permutation/),
  mapRow('MAPS = 4', 'axes-4.mrc', 2, /= 1, 2, 4, expected a permutation/),
  mapRow('cell length 0', 'cell-zero.mrc', 2, /word 11 \(CELLA X\) = 0 Angstrom; the cell length must be positive/),
  mapRow('cell length NaN', 'cell-nan.mrc', 2, /\(CELLA Y\) = NaN/),
  mapRow('NSYMBT past the end', 'nsymbt-past-end.mrc', 2, /word 24 \(NSYMBT\) = 10000000 bytes of extended header/),
  mapRow('NSYMBT negative', 'nsymbt-negative.mrc', 2, /\(NSYMBT\) = -4/),
  mapRow('endianness mark contradicts the header', 'stamp-wrong.mrc', 0, /MACHST\) = 0x11 0x11 0x00 0x00 says big endian but the header only makes sense as little endian/),
  mapRow('endianness mark unknown', 'stamp-unknown.mrc', 0, /not a known machine stamp; byte order detected from the header: little endian/),
  mapRow('big-endian map (valid)', 'big-endian.mrc', 0, /inputs checked/),
  mapRow('MX = 0 (sampling)', 'mx-zero.mrc', 0, /word 8 \(MX\) = 0; used the grid size 24 instead/),
  mapRow('ORIGIN NaN', 'origin-nan.mrc', 0, /words 50-52 \(ORIGIN\) = NaN, 0, 0 are not finite; NSTART used instead/),
  mapRow('MODE 0 int8 map (valid)', 'int8.mrc', 0, /inputs checked/),
  mapRow('MODE 12 float16 map (valid)', 'float16.mrc', 0, /inputs checked/),
  mapRow('MAPC/MAPR/MAPS = 3, 1, 2 (valid)', 'permuted-axes.mrc', 0, /inputs checked/),
  // Files.
  mapRow('data truncated', 'truncated.mrc', 2, /data block is truncated/),
  mapRow('empty file', 'empty.mrc', 2, /file is 0 bytes, shorter than the 1024-byte MRC header/),
  mapRow('text file', 'text.mrc', 2, /not an MRC\/CCP4 map/),
  mapRow('gzip cut short', 'cut.mrc.gz', 2, /gzip data is corrupt or truncated/),
  mapRow('missing map', 'nope.mrc', 2, /nope\.mrc: file not found/),
  mapRow('map is a folder', 'a-folder.mrc', 2, /a-folder\.mrc: is a directory, expected a file/),
  // Density values and geometry.
  mapRow('NaN voxels', 'nan.mrc', 0, /nan\.mrc: 3 NaN\/Inf voxel values replaced by 0/),
  mapRow('Inf voxels', 'inf.mrc', 0, /inf\.mrc: 2 NaN\/Inf voxel values replaced by 0/),
  mapRow('every voxel NaN', 'all-nan.mrc', 2, /all-nan\.mrc: every voxel has the density 0; the map is empty or constant/),
  mapRow('constant density', 'constant.mrc', 2, /constant\.mrc: every voxel has the density 0\.7/),
  mapRow('empty (all zero) map', 'zeros.mrc', 2, /zeros\.mrc: every voxel has the density 0/),
  mapRow('4x4x4 map', 'tiny-4.mrc', 2, /tiny-4\.mrc: the map spans 4 x 4 x 4 A, smaller than one nucleotide/),
  mapRow('3-voxel slab', 'thin-slab.mrc', 2, /spans 24 x 24 x 3 A/),
  mapRow('non-orthogonal cell', 'hexagonal.mrc', 2, /\(CELLB\) = 90, 90, 120 degrees: non-orthogonal cell/),
  mapRow('anisotropic voxels', 'anisotropic.mrc', 0, /anisotropic voxels 1 x 1\.5 x 1 A; resampled to a 1 A grid/),
  // FASTA.
  fastaRow('empty FASTA', 'empty.fasta', 2, /FastaFormatError: .*empty\.fasta: no sequence found/),
  fastaRow('FASTA with headers only', 'headers-only.fasta', 2, /headers-only\.fasta: no sequence found/),
  fastaRow('binary FASTA', 'binary.fasta', 2, /binary\.fasta: binary data \(\d+ control byte\(s\)/),
  fastaRow('protein-only FASTA', 'protein.fasta', 2, /none of the 1 record\(s\) is DNA\/RNA/),
  fastaRow('lower-case FASTA', 'lower.fasta', 0),
  fastaRow('U and T mixed', 'mixed-ut.fasta', 0, /'1_A' mixes U \(2\) and T \(3\); read as RNA/),
  fastaRow('duplicate ids', 'dup-ids.fasta', 0, /'y_A' asks for chain A, already taken by record 1; given chain B/),
  fastaRow('N and X runs', 'nx-runs.fasta', 0, /'1_A': 9 symbol\(s\) other than A\/C\/G\/T\/U/),
  fastaRow('Windows line ends', 'crlf.fasta', 0),
  fastaRow('protein next to RNA', 'protein-and-rna.fasta', 0, /'P' is a protein sequence; skipped/),
  fastaRow('missing FASTA', 'nope.fasta', 2, /nope\.fasta: file not found/),
  // Structures.
  row('negative --contour is accepted (CryoREAD rule: shift the map)', [MAP, ...R, ...OUT, '--contour', '-0.5', '--check'], 0, /inputs checked/),
  row('garbage --reference', [MAP, ...R, ...OUT, '--reference', '$garbage.pdb'], 2, /StructureFormatError: .*garbage\.pdb: no ATOM\/HETATM records found/),
  row('empty --oracle', [MAP, ...R, ...OUT, '--oracle', '$empty.pdb'], 2, /StructureFormatError: .*empty\.pdb: no ATOM\/HETATM records found/),
  row('protein-only --reference', [MAP, ...R, ...OUT, '--reference', '$protein.pdb'], 2, /--reference .*protein\.pdb: no DNA\/RNA nucleotides among 1 residue\(s\) \(protein or ligands only\)/),
  row('old atom naming (O1P, C4*) --reference', [MAP, ...R, ...OUT, '--reference', '$old-names.pdb', '--check'], 0, /inputs checked/),
  row('missing --oracle', [MAP, ...R, ...OUT, '--oracle', '$nope.pdb'], 2, /nope\.pdb: file not found/),
  // Option values.
  optRow('--resolution above 10 A', ['--resolution', '12'], /--resolution 12: maps above 10 A are not supported/),
  optRow('--resolution 0', ['--resolution', '0'], /--resolution 0: give the map resolution in A, above 0/),
  optRow('--resolution negative', ['--resolution', '-3'], /--resolution -3: expected a number >= 0/),
  optRow('--resolution not a number', ['--resolution', 'high'], /--resolution high: expected a number/),
  optRow('--stride 0', [...R, '--stride', '0'], /--stride 0: expected an integer >= 1/),
  optRow('--batch-size negative', [...R, '--batch-size', '-2'], /--batch-size -2: expected an integer >= 1/),
  optRow('--threads fractional', [...R, '--threads', '1.5'], /--threads 1\.5: expected an integer/),
  optRow('--frag-size 1', [...R, '--frag-size', '1'], /--frag-size 1: expected an integer >= 2/),
  optRow('--contour not a number', [...R, '--contour', 'abc'], /--contour abc: expected a number/),
  optRow('--seed not a number', [...R, '--seed', 'x'], /--seed x: expected an integer/),
  optRow('--time-budget-s negative', [...R, '--time-budget-s', '-1'], /--time-budget-s -1: expected a number >= 0/),
  optRow('--base-anchors unknown', [...R, '--base-anchors', 'nearest'], /--base-anchors nearest: expected template or detected/),
  optRow('--model unknown', [...R, '--model', 'no-such-model'], /model "no-such-model" not found; available in/),
  optRow('--base-caller unknown', [...R, '--base-caller', 'no-such-caller'], /--base-caller no-such-caller: .*no-such-caller\.json not found/),
  optRow('unknown option', [...R, '--contuor', '1'], /Unknown option '--contuor'/),
  row('no MAP', [...R, ...OUT], 2, /expected exactly one MAP, got 0/),
  row('no --out', [MAP, ...R], 2, /--out DIR is required/),
  // Output paths.
  row('--out is an existing file', [MAP, ...R, '--out', '$a-file'], 2, /--out .*a-file: is an existing file, not a folder/),
  row('--out holds files of something else', [MAP, ...R, '--out', '$foreign'], 2, /--out .*foreign: folder holds 1 entry not written by cryoread build \(e\.g\. notes\.txt\)/),
  row('--out from an earlier run', [MAP, ...R, '--out', '$earlier-run', '--check'], 0, /holds the outputs of an earlier build; they are replaced when this run finishes/),
  row('--out under a file', [MAP, ...R, '--out', '$a-file/sub'], 2, /--out .*a-file\/sub: cannot create folders in .*a-file \(E[A-Z]+\); give a writable place/),
  row('--out in an unwritable place', [MAP, ...R, '--out', '/proc/cryoread-out'], 2, /--out \/proc\/cryoread-out: cannot create folders in \/proc/),
];

const resolveArgs = (args: string[]) => args.map((a) => (a.startsWith('$') ? p(a.slice(1)) : a));

/** Runs every row in one child process (test/helpers/cli-driver.ts); the output folder is removed between rows. */
let results: { code: number; stdout: string; stderr: string }[] = [];
/** Per row: what the fixture folder held after it (staging folders, the output folder). */
before(() => {
  files();
  const cases = rows.map((r) => ['build', ...resolveArgs(r.args)]);
  writeFileSync(p('cases.json'), JSON.stringify(cases));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/cli-driver.ts', p('cases.json'), p('results.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  results = JSON.parse(readFileSync(p('results.json'), 'utf8'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test(`the matrix has >= 40 rows (${rows.length})`, () => {
  assert.ok(rows.length >= 40);
  assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'row names are unique');
});

rows.forEach((r, i) => {
  test(`bad input: ${r.name} -> exit ${r.code}`, () => {
    const r0 = results[i];
    const where = `stderr:\n${r0.stderr}\nstdout:\n${r0.stdout}`;
    assert.equal(r0.code, r.code, where);
    if (r.code === 2) {
      const lines = r0.stderr.trim().split('\n').filter((l) => l.startsWith('cryoread build: ') && !l.includes('warning:'));
      if (r.message) assert.match(r0.stderr, r.message, where);
      assert.ok(lines.length >= 1, where);
      assert.doesNotMatch(r0.stderr, /\n\s+at /, 'no stack trace');
    } else {
      if (r.message) assert.match(r0.stderr + r0.stdout, r.message, where);
      else assert.doesNotMatch(r0.stderr, /warning:/, `no warning expected: ${where}`);
      assert.match(r0.stdout, /nothing built \(--check\)/);
    }
    // Checked before detection: no progress event of any stage.
    assert.doesNotMatch(r0.stderr, /pipeline\/(prepare|detect)/, 'stopped before the pipeline');
  });
});

test('no row created an output folder or left a staging folder', () => {
  assert.ok(!existsSync(p('out')), 'no output folder created');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.partial-')), [], 'no staging folder left');
  assert.deepEqual(readdirSync(p('earlier-run')).sort(), ['CryoREAD.pdb', 'summary.json'], 'an earlier run is left as it was');
  assert.deepEqual(readdirSync(p('foreign')), ['notes.txt']);
});

test('exit codes from a child process: 2 for input errors, also for map-info', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['bin/cryoread.mjs', ...args], { encoding: 'utf8' });
  const a = cli(['build', p('constant.mrc'), '--resolution', '3.7', '--out', p('out')]);
  assert.equal(a.status, 2, a.stderr);
  assert.equal(a.stderr.trim().split('\n').length, 1, 'one line');
  const b = cli(['map-info', p('truncated.mrc')]);
  assert.equal(b.status, 2, b.stderr);
  const c = cli(['build', p('good.mrc'), '--resolution', '3.7', '--out', p('x'), '--stride', 'abc']);
  assert.equal(c.status, 2);
});
