/**
 * Nucleic-acid classifier: is a traced nucleotide nucleic acid at all? Protein density is traced as
 * nucleic acid when the detection network's sugar and phosphate channels fire on it (issue 13: on
 * protein-dominated maps ~5x more nucleotides are built than exist). Each traced node with a phosphate on
 * both sides is read in the base caller's template frame (base-caller.ts templateFrameFeatures: the
 * density around where the node's base would be, in the frame of its P5' / sugar / P3' points) by a small
 * fully connected network trained on nodes the pipeline itself traced on simulated maps with protein
 * (training/make-na-classifier-data.ts, train_base_caller.py on a "na-classifier" folder). A node's score
 * is P(nucleic acid) averaged over both readings (5'->3' and 3'->5'), since a protein path has no
 * direction to read it in. A path is dropped when the mean score of its scored nodes is below
 * `minPathScore`.
 *
 * When paths are dropped (`when`): 'always', or 'auto' (the default) only on maps that look protein-rich,
 * i.e. where at least `proteinMapFraction` of the scored nodes score below minPathScore. The classifier is
 * good at telling a map that is mostly protein (0.66-0.86 of the nodes score < 0.5 on the protein-dominated
 * and protein-only maps of bench/real-density) from a nucleic-acid map (0.13-0.42, one 0.51), but the path
 * filter also drops real nucleic acid (5 % on nucleic-acid maps, 22 % next to protein): on a nucleic-acid map
 * that loss buys nothing, on a protein-rich one it removes ~95 % of the false nucleotides.
 *
 * Not in the original (reference section 11 traces every sugar the network reports): CryoREAD relies on its
 * protein channel, which on maps it did not train on does not separate protein from nucleic acid (our
 * network's protein channel is ~0.5 at every node of a protein-dominated map).
 */
import { readFileSync } from 'node:fs';
import type { Volume } from '../grid/volume.js';
import { ModelError } from '../util/errors.js';
import { report, throwIfAborted, type StageContext } from '../util/progress.js';
import { denseForward, extraCardFields, featureCount, openCard, parseCardGrid, parseDenseLayers, pathPhosphates, templateFrameFeatures, type BaseCallerGrid, type DenseLayer } from './base-caller.js';
import type { BackbonePath } from './types.js';

export interface NaClassifier {
  name: string;
  /** Template-frame sampling grid (as the base caller's). */
  grid: BaseCallerGrid;
  /** ReLU between layers, softmax over [not, NA] after the last. */
  layers: DenseLayer[];
  /** Every other card field, kept as read (training command, metrics). */
  extra: Record<string, unknown>;
}

/** Parses and checks a nucleic-acid classifier card (JSON, the base caller's layout with kind "na-classifier"). */
export function parseNaClassifier(text: string, source: string): NaClassifier {
  const { o, bad } = openCard(text, source, 'na-classifier', 'NA_CLASSIFIER');
  if (o.frame !== 'template') bad('frame', '"template"');
  const grid = parseCardGrid(o.grid, bad);
  const layers = parseDenseLayers(o.layers, featureCount(grid), 2, 'not, NA', bad);
  return { name: typeof o.name === 'string' ? o.name : source, grid, layers, extra: extraCardFields(o, ['kind', 'name', 'frame', 'grid', 'layers']) };
}

/** Reads a nucleic-acid classifier card from a file. */
export function readNaClassifier(path: string): NaClassifier {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ModelError('NA_CLASSIFIER_MISSING', `${path}: nucleic-acid classifier not found; give an existing file or run without it (naClassifier: null)`, path);
  }
  return parseNaClassifier(text, path);
}

/** P(nucleic acid) of one feature vector (softmax of the two logits). */
export function predictNucleicAcid(c: NaClassifier, features: Float32Array): number {
  const x = denseForward(c.layers, features);
  return 1 / (1 + Math.exp(x[0] - x[1]));
}

/**
 * Per path, per node P(nucleic acid), the mean of the 5'->3' and 3'->5' readings between the node's
 * phosphates (pathPhosphates); NaN where a phosphate is missing or the frame is degenerate.
 */
export function nucleicAcidScores(paths: readonly BackbonePath[], density: Volume, c: NaClassifier, ctx?: StageContext): Float32Array[] {
  const buf = new Float32Array(featureCount(c.grid));
  const total = paths.reduce((n, p) => n + p.nodes.length, 0);
  let done = 0;
  return paths.map((p) => {
    throwIfAborted(ctx, 'trace/na-classifier');
    const q = pathPhosphates(p.nodes);
    const out = new Float32Array(p.nodes.length).fill(NaN);
    p.nodes.forEach((n, i) => {
      const a = q[i], b = q[i + 1];
      if (!a || !b) return;
      const f = templateFrameFeatures(density, a, n.sugarA, b, c.grid, buf);
      if (!f) return;
      const forward = predictNucleicAcid(c, f);
      const g = templateFrameFeatures(density, b, n.sugarA, a, c.grid, buf);
      if (!g) return;
      out[i] = (forward + predictNucleicAcid(c, g)) / 2;
    });
    done += p.nodes.length;
    report(ctx, 'trace/na-classifier', done, total);
    return out;
  });
}

export interface NaFilterParams {
  /** A path whose scored nodes average below this P(nucleic acid) is dropped. */
  minPathScore: number;
  /** Paths with fewer scored nodes than this are kept whatever their score (too little evidence). */
  minScoredNodes: number;
  /**
   * Nodes at either end of a kept path scoring below this are cut off, up to the first node that scores at
   * least this (or is unscored): traces run on past a strand's end into protein or noise. 0 = no trimming.
   */
  trimEndScore: number;
  /**
   * 'always': filter every map; 'auto': filter only a protein-rich map, one where at least
   * proteinMapFraction of the scored nodes score below minPathScore (see the module comment).
   */
  when: 'auto' | 'always';
  /** 'auto': the fraction of low-scoring nodes from which a map counts as protein-rich. */
  proteinMapFraction: number;
}

/**
 * Thresholds from bench/real-density's maps (node fractions in the module comment): 0.6 lies in the gap
 * between the nucleic-acid maps (<= 0.51) and the protein-rich ones (>= 0.66).
 */
export const DEFAULT_NA_FILTER: Readonly<NaFilterParams> = Object.freeze({ minPathScore: 0.5, minScoredNodes: 2, trimEndScore: 0, when: 'auto', proteinMapFraction: 0.6 });

export interface NaFilterResult {
  paths: BackbonePath[];
  /** Mean score of each input path (NaN when none of its nodes was scored). */
  pathScores: number[];
  droppedPaths: number;
  droppedNodes: number;
  /** Nodes cut from the ends of kept paths (trimEndScore). */
  trimmedNodes: number;
  /** Fraction of the scored nodes scoring below minPathScore (NaN when none was scored). */
  lowFraction: number;
  /** Whether paths were filtered: always, or on a protein-rich map in 'auto' mode. */
  applied: boolean;
  /** The filter parameters used (defaults filled in). */
  params: NaFilterParams;
}

/**
 * Keeps the paths whose mean node score (NaN nodes left out) is at least minPathScore, and cuts the
 * low-scoring ends of those it keeps (trimEndScore); in 'auto' mode only on a protein-rich map (every
 * path kept otherwise).
 */
export function filterNucleicAcidPaths(paths: readonly BackbonePath[], scores: readonly Float32Array[], params: Partial<NaFilterParams> = {}): NaFilterResult {
  const p = { ...DEFAULT_NA_FILTER, ...params };
  let low = 0, scored = 0;
  for (const sc of scores) for (const s of sc) if (Number.isFinite(s)) { scored++; if (s < p.minPathScore) low++; }
  const lowFraction = scored ? low / scored : NaN;
  const applied = p.when === 'always' || lowFraction >= p.proteinMapFraction;
  const kept: BackbonePath[] = [];
  const pathScores: number[] = [];
  let droppedPaths = 0, droppedNodes = 0, trimmedNodes = 0;
  paths.forEach((path, i) => {
    let sum = 0, n = 0;
    for (const s of scores[i]) if (Number.isFinite(s)) { sum += s; n++; }
    const mean = n ? sum / n : NaN;
    pathScores.push(mean);
    if (!applied) kept.push(path);
    else if (n >= p.minScoredNodes && mean < p.minPathScore) {
      droppedPaths++;
      droppedNodes += path.nodes.length;
    } else {
      const sc = scores[i];
      let a = 0, b = path.nodes.length;
      if (p.trimEndScore > 0) {
        while (a < b && sc[a] < p.trimEndScore) a++;
        while (b > a && sc[b - 1] < p.trimEndScore) b--;
      }
      if (a === b) {
        droppedPaths++;
        droppedNodes += path.nodes.length;
      } else if (a > 0 || b < path.nodes.length) {
        trimmedNodes += path.nodes.length - (b - a);
        kept.push({ ...path, nodes: path.nodes.slice(a, b) });
      } else kept.push(path);
    }
  });
  return { paths: kept, pathScores, droppedPaths, droppedNodes, trimmedNodes, lowFraction, applied, params: p };
}
