/**
 * Structure I/O and evaluation speed: tiles the 6V5B RNA (1,652 atoms) into a large synthetic
 * structure (copies translated 60 A apart, one chain each) and times writing / reading PDB and
 * mmCIF and evaluateModel against itself. Run: node --import tsx bench/structure-io.ts [copies]
 */
import { join, resolve } from 'node:path';
import { readStructure } from '../src/io/structure-file.js';
import { parsePdb, pdbString } from '../src/io/pdb.js';
import { parseMmcif, mmcifString } from '../src/io/mmcif.js';
import { evaluateModel } from '../src/evaluate/index.js';
import { Structure } from '../src/structure/model.js';

const copies = Number(process.argv[2] ?? 60);
const base = readStructure(resolve(process.cwd(), '..', 'shared', 'data', 'structures', 'cryoread_6v5b_drna.pdb'));
const chains = [];
for (let k = 0; k < copies; k++) {
  const c = structuredClone(base.chains[0]);
  c.id = k < 62 ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[k] : `C${k}`;
  for (const r of c.residues) for (const a of r.atoms) { a.x += 60 * (k % 8); a.y += 60 * Math.floor(k / 8) % 480; a.z += 60 * Math.floor(k / 64); }
  chains.push(c);
}
const big: Structure = { chains };
const rows: [string, number, string][] = [];
const time = <T>(what: string, fn: () => T, note: (v: T) => string = () => ''): T => {
  const t0 = performance.now();
  const v = fn();
  rows.push([what, performance.now() - t0, note(v)]);
  return v;
};
const atoms = Structure.atomCount(big);
const cif = time('mmcifString', () => mmcifString(big), (t) => `${(t.length / 1e6).toFixed(1)} MB`);
time('parseMmcif', () => parseMmcif(cif), (s) => `${Structure.atomCount(s)} atoms`);
if (copies <= 62 && atoms < 99_999) {
  const pdb = time('pdbString', () => pdbString(big), (t) => `${(t.length / 1e6).toFixed(1)} MB`);
  time('parsePdb', () => parsePdb(pdb), (s) => `${Structure.atomCount(s)} atoms`);
}
time('evaluateModel (self)', () => evaluateModel(big, big), (m) => `coverage ${m.coverage}, ${m.counts.referenceNucleotides} nt`);
console.log(`${copies} copies, ${atoms} atoms, ${copies * 78} nt`);
console.log('step'.padEnd(24) + 'ms'.padStart(10) + '  note');
for (const [w, ms, n] of rows) console.log(w.padEnd(24) + ms.toFixed(0).padStart(10) + '  ' + n);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
