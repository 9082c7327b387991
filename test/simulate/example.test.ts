import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readMrc } from '../../src/io/mrc.js';
import { readStructure } from '../../src/io/structure-file.js';
import { Volume } from '../../src/grid/volume.js';
import { simulateMap } from '../../src/simulate/index.js';
import { sharedDataOrSkip, sharedPath } from '../helpers/shared-data.js';

test('example/6v5b_sim_3.7A.mrc is reproduced by the command in example/README.md', (t) => {
  const dir = sharedDataOrSkip(t);
  if (!dir) return;
  const readme = readFileSync('example/README.md', 'utf8');
  assert.match(readme, /--resolution 3\.7 --voxel 1\.05 --origin 103\.3,96\.1,72\.9 --bfactor 20 \\\n {2}--noise 2\.5 --noise-colour 2\.5 --colour-fraction 0\.7 --jitter 0\.3 --seed 21051/);
  const committed = readMrc('example/6v5b_sim_3.7A.mrc').volume;
  const s = readStructure(sharedPath(dir, 'structures', 'cryoread_6v5b_drna.pdb'));
  const again = simulateMap(s, {
    resolutionA: 3.7, voxelSizeA: 1.05, originA: [103.3, 96.1, 72.9], bFactor: 20,
    noiseSnr: 2.5, noiseColourA: 2.5, noiseColourFraction: 0.7, localAmplitudeJitter: 0.3, seed: 21051,
  });
  assert.deepEqual(committed.shape, again.shape);
  const rms = Volume.stats(again).rms;
  let maxDiff = 0;
  for (let i = 0; i < again.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(committed.data[i] - again.data[i]));
  assert.ok(maxDiff <= 1e-5 * rms, `max difference ${maxDiff} (rms ${rms}); regenerate the example with the README command if the simulator changed on purpose`);
  const fasta = readFileSync('example/21051.fasta', 'utf8').split('\n');
  const seq = s.chains[0].residues.map((r) => r.base).join('');
  assert.equal(fasta[1].trim(), seq);
});
