/**
 * `cryoread simulate MODEL --resolution R --out MAP.mrc [...]`: simulated density of a model on the
 * model's frame, optionally with per-voxel class labels and oracle probability maps on the same grid.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from './args.js';
import { PROBABILITY_CHANNELS, ProbabilityMaps } from '../grid/probability-maps.js';
import { Volume, type Vec3 } from '../grid/volume.js';
import { writeMrc } from '../io/mrc.js';
import { readStructure } from '../io/structure-file.js';
import { Structure } from '../structure/model.js';
import { DEFAULT_LABEL_PARAMS, LABEL_CLASSES, labelMaps } from '../simulate/labels.js';
import { DEFAULT_ORACLE_PARAMS, oracleProbabilities } from '../simulate/oracle.js';
import { DEFAULT_SIMULATE_PARAMS, simulateMap, type SimulateParams } from '../simulate/simulate-map.js';
import type { StageContext } from '../util/progress.js';

const D = DEFAULT_SIMULATE_PARAMS;
const USAGE = `usage: cryoread simulate MODEL --resolution R --out MAP.mrc [options]

Simulates a cryo-EM density map of a PDB/mmCIF model (sum of per-atom Gaussians weighted by the
electron scattering factor f_e(0), sigma = 0.225 x resolution) on the model's own frame, with optional
noise. Optionally writes per-voxel class labels and oracle detection maps on the same grid.

options:
  --resolution R      resolution in A (required)
  --voxel V           voxel size in A (default ${D.voxelSizeA})
  --pad A             margin around the atoms in A (default ${D.padA})
  --origin x,y,z      position in A of voxel (0,0,0) (default: atoms' minimum - pad, snapped to the voxel size)
  --bfactor B         per-atom blur: none | file | a B-factor in A^2 for every atom (default ${D.bFactor})
  --noise SNR         envelope signal variance / noise variance; 0 = no noise (default ${D.noiseSnr})
  --noise-colour A    low-pass sigma in A of the coloured noise part (default ${D.noiseColourA})
  --colour-fraction F fraction of noise variance that is coloured, rest white (default ${D.noiseColourFraction})
  --jitter J          0..1 smooth per-region amplitude scaling (default ${D.localAmplitudeJitter})
  --seed S            seed for noise, jitter and oracle degradations (default ${D.seed})
  --out MAP.mrc       output map (float32 MRC2014)
  --labels DIR        also write DIR/label_<class>.mrc (0/1) for ${LABEL_CLASSES.join(', ')}
  --label-radius A    label radius around atoms in A (default ${DEFAULT_LABEL_PARAMS.radiusA})
  --oracle DIR        also write oracle probabilities DIR/chain_<channel>_prob.mrc for ${PROBABILITY_CHANNELS.join(', ')}
  --oracle-blur A     oracle blob sigma in A (default ${DEFAULT_ORACLE_PARAMS.blurA})
  --oracle-dropout F  fraction of nucleotides missing from the oracle maps (default 0)
  --oracle-fp F       spurious oracle blobs per nucleotide (default 0)
  --oracle-base-accuracy F  fraction of nucleotides with the right base type (default 1)
  -h, --help          this text`;

function fail(msg: string): number {
  process.stderr.write(`cryoread simulate: ${msg}\n`);
  return 2;
}

function num(name: string, text: string | undefined, check: (x: number) => boolean, what: string): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (!Number.isFinite(x) || !check(x)) throw new RangeError(`--${name} ${text}: ${what}`);
  return x;
}

function progress(): StageContext {
  let last = '';
  return {
    onProgress: (e) => {
      const pct = e.total ? Math.floor((100 * e.done) / e.total / 25) * 25 : 0;
      const key = `${e.stage} ${pct}`;
      if (key !== last) { last = key; process.stderr.write(`  ${e.stage}: ${pct}%\n`); }
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand<Record<string, string | undefined>>('simulate', argv, {
        resolution: { type: 'string' }, voxel: { type: 'string' }, pad: { type: 'string' }, origin: { type: 'string' },
        bfactor: { type: 'string' }, noise: { type: 'string' }, 'noise-colour': { type: 'string' }, 'colour-fraction': { type: 'string' },
        jitter: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, labels: { type: 'string' },
        'label-radius': { type: 'string' }, oracle: { type: 'string' }, 'oracle-blur': { type: 'string' },
        'oracle-dropout': { type: 'string' }, 'oracle-fp': { type: 'string' }, 'oracle-base-accuracy': { type: 'string' },
      }, USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) return fail(`expected one model file, got ${positionals.length}\n${USAGE}`);
  if (v.resolution === undefined) return fail('--resolution R (Angstroms) is required');
  if (v.out === undefined) return fail('--out MAP.mrc is required');
  const params: Partial<SimulateParams> = {};
  let labelRadiusA: number | undefined;
  const oracle: Record<string, number | undefined> = {};
  try {
    const pos = (x: number) => x > 0, nonNeg = (x: number) => x >= 0, unit = (x: number) => x >= 0 && x <= 1;
    params.resolutionA = num('resolution', v.resolution, pos, 'must be a positive resolution in A');
    params.voxelSizeA = num('voxel', v.voxel, pos, 'must be a positive voxel size in A');
    params.padA = num('pad', v.pad, nonNeg, 'must be a margin >= 0 A');
    params.noiseSnr = num('noise', v.noise, nonNeg, 'must be an SNR >= 0 (0 = no noise)');
    params.noiseColourA = num('noise-colour', v['noise-colour'], pos, 'must be a positive length in A');
    params.noiseColourFraction = num('colour-fraction', v['colour-fraction'], unit, 'must be in [0, 1]');
    params.localAmplitudeJitter = num('jitter', v.jitter, unit, 'must be in [0, 1]');
    params.seed = num('seed', v.seed, Number.isInteger, 'must be an integer');
    if (v.bfactor !== undefined) {
      params.bFactor = v.bfactor === 'none' || v.bfactor === 'file' ? v.bfactor : num('bfactor', v.bfactor, nonNeg, "must be 'none', 'file' or a B-factor >= 0 in A^2");
    }
    if (v.origin !== undefined) {
      const o = v.origin.split(',').map(Number);
      if (o.length !== 3 || !o.every(Number.isFinite)) throw new RangeError(`--origin ${v.origin}: give three numbers x,y,z in A`);
      params.originA = o as Vec3;
    }
    labelRadiusA = num('label-radius', v['label-radius'], pos, 'must be a positive radius in A');
    oracle.blurA = num('oracle-blur', v['oracle-blur'], pos, 'must be a positive sigma in A');
    oracle.dropout = num('oracle-dropout', v['oracle-dropout'], unit, 'must be in [0, 1]');
    oracle.falsePositiveRate = num('oracle-fp', v['oracle-fp'], nonNeg, 'must be >= 0');
    oracle.baseTypeAccuracy = num('oracle-base-accuracy', v['oracle-base-accuracy'], unit, 'must be in [0, 1]');
  } catch (e) {
    return fail((e as Error).message);
  }
  for (const k of Object.keys(params) as (keyof SimulateParams)[]) if (params[k] === undefined) delete params[k];
  for (const k of Object.keys(oracle)) if (oracle[k] === undefined) delete oracle[k];

  const t0 = Date.now();
  const model = positionals[0];
  process.stderr.write(`simulate: reading ${model}\n`);
  const structure = readStructure(model);
  process.stderr.write(`simulate: ${Structure.describe(structure)}\n`);
  const ctx = progress();
  const map = simulateMap(structure, params, ctx);
  writeMrc(v.out, map, { labels: [`cryoread-ts simulate ${params.resolutionA} A (simulated, not experimental)`] });
  process.stderr.write(`simulate: wrote ${v.out}: ${Volume.describe(map)}\n`);
  if (v.labels !== undefined) {
    mkdirSync(v.labels, { recursive: true });
    const labels = labelMaps(structure, map, labelRadiusA !== undefined ? { radiusA: labelRadiusA } : {}, ctx);
    for (const c of LABEL_CLASSES) writeMrc(join(v.labels, `label_${c}.mrc`), Volume.create(map, Float32Array.from(labels[c])), { labels: [`cryoread-ts label ${c}`] });
    process.stderr.write(`simulate: wrote ${LABEL_CLASSES.length} label maps to ${v.labels}\n`);
  }
  if (v.oracle !== undefined) {
    mkdirSync(v.oracle, { recursive: true });
    const pm = oracleProbabilities(structure, map, { seed: params.seed ?? 0, ...oracle }, ctx);
    for (const c of PROBABILITY_CHANNELS) writeMrc(join(v.oracle, `chain_${c}_prob.mrc`), ProbabilityMaps.channel(pm, c), { labels: [`cryoread-ts oracle ${c} probability`] });
    process.stderr.write(`simulate: wrote ${PROBABILITY_CHANNELS.length} oracle maps to ${v.oracle}\n`);
  }
  process.stderr.write(`simulate: done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return 0;
}
