/**
 * External engines with stand-in programs (shell scripts written here) that check their arguments and
 * write what phenix.real_space_refine / coot write, or crash, hang, or write nothing: discovery
 * (--phenix DIR, --coot PATH, environment, PATH), CryoREAD's Phenix-Coot-Phenix protocol, the
 * fallback to the built-in engine, and keeping the last good cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateMap } from '../../src/simulate/simulate-map.js';
import { readStructure } from '../../src/io/structure-file.js';
import { findCoot, findPhenix, cootScript } from '../../src/refine/external.js';
import { refineWithEngine } from '../../src/refine/engines.js';
import type { Structure } from '../../src/structure/model.js';
import { idealStrand } from '../helpers/ideal-strand.js';

const FAKE_PHENIX = `#!/bin/bash
# stand-in for phenix.real_space_refine: checks the arguments CryoREAD passes, writes <stem>_phenix_refine_000.pdb
echo "phenix $*" >> calls.txt
[[ "$1" == *.pdb && -s "$1" ]] || { echo "model argument $1" >&2; exit 2; }
[[ "$2" == *.mrc && -s "$2" ]] || { echo "map argument $2" >&2; exit 2; }
[[ "$3" =~ ^resolution=[0-9]+\\.[0-9]{4}$ ]] || { echo "resolution argument $3" >&2; exit 2; }
[[ "$4" == "output.suffix=_phenix_refine" ]] || { echo "suffix argument $4" >&2; exit 2; }
[[ "$5" == "skip_map_model_overlap_check=True" ]] || { echo "overlap argument $5" >&2; exit 2; }
stem=$(basename "$1" .pdb)
cp "$1" "\${stem}_phenix_refine_000.pdb"
`;
const FAKE_COOT = `#!/bin/bash
# stand-in for coot --no-graphics --script FILE: reads the model/output names from the script, copies the model
echo "coot $*" >> calls.txt
[[ "$1" == "--no-graphics" && "$2" == "--script" && -s "$3" ]] || { echo "usage" >&2; exit 2; }
grep -q "refine_zone(imol" "$3" && grep -q "set_contour_level_absolute(imol_map" "$3" || { echo "script" >&2; exit 2; }
in=$(sed -n 's/^imol = read_pdb("\\(.*\\)")$/\\1/p' "$3")
out=$(sed -n 's/^write_pdb_file(imol, "\\(.*\\)")$/\\1/p' "$3")
cp "$in" "$out"
`;
const CRASH = '#!/bin/bash\necho "Sorry: something went wrong" >&2\nexit 3\n';
const HANG = '#!/bin/bash\nsleep 60\n';
const NOTHING = '#!/bin/bash\necho done\nexit 0\n';

function tool(dir: string, name: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, body);
  chmodSync(p, 0o755);
  return p;
}

function setup(t: { after(fn: () => void): void }) {
  const tmp = mkdtempSync(join(tmpdir(), 'cryoread-engines-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const s = idealStrand('A', 3);
  // An OP3 on the 5' residue (removed after the first Phenix run in the build pipeline).
  const p = s.chains[0].residues[0].atoms[0];
  s.chains[0].residues[0].atoms.unshift({ ...p, name: 'OP3', element: 'O', x: p.x - 1.4, y: p.y + 0.3 });
  const map = simulateMap(s, { resolutionA: 4, padA: 6 });
  return { tmp, s, map };
}
const names = (s: Structure) => s.chains.flatMap((c) => c.residues.flatMap((r) => r.atoms.map((a) => a.name)));

test('discovery: --phenix DIR (DIR, DIR/bin, DIR/build/bin), $PHENIX, PATH; --coot PATH, $COOT; non-executables skipped', (t) => {
  const { tmp } = setup(t);
  const inst = join(tmp, 'phenix-1.21');
  const ph = tool(join(inst, 'build', 'bin'), 'phenix.real_space_refine', FAKE_PHENIX);
  assert.equal(findPhenix({ phenixDir: inst, env: {} }).path, ph);
  assert.equal(findPhenix({ env: { PHENIX: inst } }).path, ph);
  assert.equal(findPhenix({ env: { PATH: `/nonexistent:${join(inst, 'build', 'bin')}` } }).path, ph);
  const none = findPhenix({ env: { PATH: '/nonexistent' } });
  assert.equal(none.path, null);
  assert.deepEqual(none.searched, ['PATH']);
  // --phenix DIR is authoritative: not found there means not found.
  assert.equal(findPhenix({ phenixDir: join(tmp, 'elsewhere'), env: { PHENIX: inst } }).path, null);
  const coot = tool(join(tmp, 'coot', 'bin'), 'coot', FAKE_COOT);
  assert.equal(findCoot({ cootPath: coot, env: {} }).path, coot);
  assert.equal(findCoot({ cootPath: join(tmp, 'coot'), env: {} }).path, coot);
  assert.equal(findCoot({ env: { COOT: coot } }).path, coot);
  writeFileSync(join(tmp, 'coot', 'bin', 'notexec'), '#!/bin/bash\n');
  assert.equal(findCoot({ cootPath: join(tmp, 'coot', 'bin', 'notexec'), env: {} }).path, null);
});

test("engine 'cryoread' runs Phenix, Coot, Phenix with CryoREAD's arguments and keeps Refine_cycle0..3", async (t) => {
  const { tmp, s, map } = setup(t);
  const bin = join(tmp, 'bin');
  tool(bin, 'phenix.real_space_refine', FAKE_PHENIX);
  const coot = tool(bin, 'coot', FAKE_COOT);
  const work = join(tmp, 'work');
  const r = await refineWithEngine(s, map, { engine: 'cryoread', resolutionA: 3.7, tools: { phenixDir: bin, cootPath: coot }, workDir: work, removeOP3: true, toolTimeoutS: 60 });
  assert.equal(r.used, 'cryoread');
  assert.deepEqual(r.steps.map((x) => [x.program, x.status]), [['phenix.real_space_refine', 'ok'], ['coot', 'ok'], ['phenix.real_space_refine', 'ok']]);
  for (let k = 0; k <= 3; k++) assert.ok(existsSync(join(work, `Refine_cycle${k}.pdb`)), `cycle ${k}`);
  assert.equal(r.finalCyclePath, join(work, 'Refine_cycle3.pdb'));
  const calls = readFileSync(join(work, 'calls.txt'), 'utf8').trim().split('\n');
  assert.equal(calls.length, 3);
  assert.match(calls[0], /^phenix .*Refine_cycle0\.pdb .*refine_map\.mrc resolution=3\.7000 output\.suffix=_phenix_refine skip_map_model_overlap_check=True$/);
  assert.match(calls[1], /^coot --no-graphics --script .*Refine_cycle2_coot\.py$/);
  assert.match(calls[2], /^phenix .*Refine_cycle2\.pdb /);
  assert.ok(names(readStructure(join(work, 'Refine_cycle0.pdb'))).includes('OP3'));
  assert.ok(!names(readStructure(join(work, 'Refine_cycle1.pdb'))).includes('OP3'), 'OP3 removed after the first Phenix run');
  assert.equal(names(r.structure).length, names(s).length - 1);
  // The script refines each nucleotide on its own.
  const script = readFileSync(join(work, 'Refine_cycle2_coot.py'), 'utf8');
  assert.equal(script.match(/\("A", \d+, ""\)/g)!.length, 3);
  assert.equal(cootScript('m.pdb', 'x.mrc', 'o.pdb', 0.01, []).includes('coot_real_exit(0)'), true);
});

test('a missing program is named and the built-in engine runs instead', async (t) => {
  const { s, map } = setup(t);
  const r = await refineWithEngine(s, map, { engine: 'cryoread', resolutionA: 4, cycles: 1, tools: { env: { PATH: '/nonexistent' } } });
  assert.equal(r.used, 'builtin');
  assert.equal(r.requested, 'cryoread');
  assert.equal(r.notes.length >= 1, true);
  assert.match(r.notes[0], /^phenix\.real_space_refine not found \(looked in PATH\); coot not found \(looked in PATH\): the built-in engine ran instead of 'cryoread'$/);
  assert.ok(r.builtin && r.builtin.iterations.length > 0);
  const c = await refineWithEngine(s, map, { engine: 'coot', resolutionA: 4, cycles: 1, tools: { cootPath: '/nonexistent/coot', env: {} } });
  assert.match(c.notes[0], /^coot not found \(looked in --coot \/nonexistent\/coot\): the built-in engine ran instead of 'coot'$/);
});

test('a program that crashes, hangs past --tool-timeout-s or writes nothing: the last good cycle is kept', async (t) => {
  const { tmp, s, map } = setup(t);
  const good = join(tmp, 'good'), bad = join(tmp, 'bad');
  tool(good, 'phenix.real_space_refine', FAKE_PHENIX);
  // Coot crashes: Phenix's cycle 1 is the result.
  const crash = tool(bad, 'coot', CRASH);
  let r = await refineWithEngine(s, map, { engine: 'cryoread', resolutionA: 4, tools: { phenixDir: good, cootPath: crash }, workDir: join(tmp, 'w1') });
  assert.deepEqual(r.steps.map((x) => x.status), ['ok', 'failed']);
  assert.equal(r.finalCyclePath, join(tmp, 'w1', 'Refine_cycle1.pdb'));
  assert.ok(r.notes.some((n) => /coot failed \(exit code 3; see .*Refine_cycle2_coot\.log\); keeping Refine_cycle1\.pdb$/.test(n)), r.notes.join('\n'));
  assert.match(readFileSync(r.steps[1].logPath, 'utf8'), /something went wrong/);
  // Phenix hangs: stopped at the limit, the unrefined model is kept.
  const hang = tool(join(tmp, 'hang'), 'phenix.real_space_refine', HANG);
  r = await refineWithEngine(s, map, { engine: 'phenix', resolutionA: 4, tools: { phenixDir: join(tmp, 'hang') }, workDir: join(tmp, 'w2'), toolTimeoutS: 1 });
  assert.deepEqual(r.steps.map((x) => x.status), ['timeout']);
  assert.ok(r.notes.some((n) => n.includes('stopped after the 1 s limit (--tool-timeout-s); keeping Refine_cycle0.pdb (the unrefined model)')), r.notes.join('\n'));
  assert.ok(r.notes.some((n) => n.includes('no refinement cycle succeeded')));
  assert.equal(names(r.structure).length, names(s).length);
  void hang;
  // Phenix exits 0 without a model.
  tool(join(tmp, 'nothing'), 'phenix.real_space_refine', NOTHING);
  r = await refineWithEngine(s, map, { engine: 'phenix', resolutionA: 4, tools: { phenixDir: join(tmp, 'nothing') }, workDir: join(tmp, 'w3') });
  assert.deepEqual(r.steps.map((x) => x.status), ['no-output']);
  assert.ok(r.notes.some((n) => n.includes('exited 0 but wrote no model')));
  assert.ok(existsSync(join(tmp, 'w3', 'Refine_cycle0.pdb')));
});
