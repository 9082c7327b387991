/**
 * Tables for notebooks: danfojs DataFrames of the stage outputs (nodes, paths, sequence fragments,
 * per-residue confidence, evaluation metrics), and RFC 4180 CSV export. `show(df)` renders a
 * DataFrame as a sortable table (a widget in the cryoread kernel, static HTML elsewhere).
 * danfojs is imported lazily (it takes ~1.5 s to load), so only notebook code pays for it.
 * CSV: danfojs' own toCSV does not quote fields holding commas or quotes, so we write it here.
 */
import { loadDanfo, type DataFrame } from './danfo.js';
import type { NodeSet } from '../cluster/node-set.js';
import { NODE_CLASSES, type NodeClass } from '../cluster/params.js';
import type { BackbonePath } from '../trace/types.js';
import { chainIdFor } from '../trace/assign-no-sequence.js';
import type { SequenceAssignment } from '../sequence/types.js';
import type { Structure } from '../structure/model.js';
import type { EvaluationMetrics } from '../evaluate/evaluate-model.js';
import { PROBABILITY_CHANNELS, ProbabilityMaps } from '../grid/probability-maps.js';
import { Volume } from '../grid/volume.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/errors.js';

export type Cell = string | number | boolean | null;
export type Columns = Record<string, Cell[]>;

async function frame(columns: Columns): Promise<DataFrame> {
  const dfd = await loadDanfo();
  const names = Object.keys(columns);
  // danfojs cannot build a frame with zero rows from column arrays: keep the columns, one row of nulls would lie.
  if (names.length === 0 || columns[names[0]].length === 0) return new dfd.DataFrame([], { columns: names });
  return new dfd.DataFrame(columns);
}

const round = (x: number, d = 3): number => (Number.isFinite(x) ? +x.toFixed(d) : x);
const dist = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Plain columns of nodes by class: class, index, x, y, z (A), density, seeds, and channel probabilities when maps are given. */
export function nodeColumns(nodes: Partial<Record<NodeClass, NodeSet>>, probabilities?: ProbabilityMaps): Columns {
  const cols: Columns = { class: [], index: [], x: [], y: [], z: [], density: [], seeds: [] };
  if (probabilities) for (const c of PROBABILITY_CHANNELS) cols[`p_${c}`] = [];
  const vols = probabilities ? PROBABILITY_CHANNELS.map((c) => ProbabilityMaps.channel(probabilities, c)) : [];
  for (const cls of NODE_CLASSES) {
    const ns = nodes[cls];
    if (!ns) continue;
    for (let i = 0; i < ns.count; i++) {
      cols.class.push(cls); cols.index.push(i);
      cols.x.push(round(ns.x[i])); cols.y.push(round(ns.y[i])); cols.z.push(round(ns.z[i]));
      cols.density.push(round(ns.density[i])); cols.seeds.push(ns.seedCount[i]);
      PROBABILITY_CHANNELS.forEach((c, k) => cols[`p_${c}`]?.push(round(Volume.valueAtAngstrom(vols[k], ns.x[i], ns.y[i], ns.z[i]))));
    }
  }
  return cols;
}

/** One row per traced path: chain, nodes, phosphates found, bases anchored, length (A), direction and its confidence, routing cost. */
export function pathColumns(paths: readonly BackbonePath[], labels?: readonly string[]): Columns {
  const cols: Columns = { chain: [], nodes: [], phosphates: [], baseAnchors: [], lengthA: [], direction: [], directionConfidence: [], cost: [], argmaxBases: [] };
  const letters = ['A', 'U', 'C', 'G'];
  paths.forEach((p, i) => {
    let len = 0, phos = 0, bases = 0;
    for (let k = 0; k < p.nodes.length; k++) {
      const n = p.nodes[k];
      if (k > 0) len += dist(p.nodes[k - 1].sugarA, n.sugarA);
      if (n.phosphate5A) phos++;
      if (n.baseA) bases++;
    }
    if (p.nodes.length && p.nodes[p.nodes.length - 1].phosphate3A) phos++;
    cols.chain.push(labels?.[i] ?? chainIdFor(i));
    cols.nodes.push(p.nodes.length); cols.phosphates.push(phos); cols.baseAnchors.push(bases);
    cols.lengthA.push(round(len, 1)); cols.direction.push(p.direction === 1 ? 'routing order' : 'reversed');
    cols.directionConfidence.push(round(p.directionConfidence)); cols.cost.push(round(p.cost, 2));
    cols.argmaxBases.push(p.nodes.map((n) => {
      const e = n.baseEvidence;
      const m = Math.max(...e);
      return m > 0 ? letters[e.indexOf(m)] : '-';
    }).join(''));
  });
  return cols;
}

/** Letters assigned to each node of a path by a fragment ('-' where the fragment skips a node). */
export function fragmentLetters(assignment: SequenceAssignment, fragmentIndex: number): string {
  const f = assignment.fragments[fragmentIndex];
  const rec = assignment.records[f.recordIndex];
  const seq = f.orientation === 1 ? rec.sequence : [...rec.sequence].reverse().join('');
  return Array.from(f.mapping, (r) => (r >= 0 && r < seq.length ? seq[r] : '-')).join('');
}

/** One row per assembled fragment: path, nodes, record, orientation, assigned interval (1-based, in the record's 5'->3' numbering), score, letters. */
export function fragmentColumns(assignment: SequenceAssignment, labels?: readonly string[]): Columns {
  const cols: Columns = { fragment: [], chain: [], nodeStart: [], nodeCount: [], record: [], orientation: [], from: [], to: [], assigned: [], score: [], letters: [] };
  assignment.fragments.forEach((f, i) => {
    const rec = assignment.records[f.recordIndex];
    const n = rec.sequence.length;
    // interval is in the oriented sequence; report it in the record's own numbering.
    const [a, b] = f.orientation === 1 ? [f.interval[0] + 1, f.interval[1] + 1] : [n - f.interval[1], n - f.interval[0]];
    let assigned = 0;
    for (const r of f.mapping) if (r >= 0) assigned++;
    cols.fragment.push(i); cols.chain.push(labels?.[f.pathIndex] ?? chainIdFor(f.pathIndex));
    cols.nodeStart.push(f.nodeStart); cols.nodeCount.push(f.nodeCount);
    cols.record.push(rec.chainId); cols.orientation.push(f.orientation === 1 ? "5'->3'" : "3'->5'");
    cols.from.push(a); cols.to.push(b); cols.assigned.push(assigned); cols.score.push(round(f.score, 1));
    cols.letters.push(fragmentLetters(assignment, i));
  });
  return cols;
}

/**
 * One row per residue: chain, number, name, atoms, mean B-factor (A^2) and the builder's confidence
 * recovered from it: confidence = 1 - (B - bMinA2) / bRangeA2 (src/build params, defaults 20 and 80).
 */
export function residueColumns(s: Structure, bMinA2 = 20, bRangeA2 = 80): Columns {
  const cols: Columns = { chain: [], residue: [], name: [], atoms: [], bFactor: [], confidence: [] };
  for (const c of s.chains) for (const r of c.residues) {
    const b = r.atoms.reduce((t, a) => t + a.bFactor, 0) / Math.max(1, r.atoms.length);
    cols.chain.push(c.id); cols.residue.push(r.seqNum); cols.name.push(r.name); cols.atoms.push(r.atoms.length);
    cols.bFactor.push(round(b, 2)); cols.confidence.push(round(Math.max(0, Math.min(1, 1 - (b - bMinA2) / bRangeA2))));
  }
  return cols;
}

/** Evaluation metrics as (metric, value) rows, counts flattened. */
export function metricColumns(m: EvaluationMetrics): Columns {
  const cols: Columns = { metric: [], value: [] };
  for (const [k, v] of Object.entries(m)) {
    if (k === 'params') continue;
    if (k === 'counts') {
      for (const [ck, cv] of Object.entries(v as Record<string, number>)) { cols.metric.push(`counts.${ck}`); cols.value.push(cv); }
      continue;
    }
    if (typeof v === 'number') { cols.metric.push(k); cols.value.push(round(v, 4)); }
  }
  return cols;
}

export const nodeTable = (nodes: Partial<Record<NodeClass, NodeSet>>, probabilities?: ProbabilityMaps) => frame(nodeColumns(nodes, probabilities));
export const pathTable = (paths: readonly BackbonePath[], labels?: readonly string[]) => frame(pathColumns(paths, labels));
export const fragmentTable = (assignment: SequenceAssignment, labels?: readonly string[]) => frame(fragmentColumns(assignment, labels));
export const residueTable = (s: Structure, bMinA2?: number, bRangeA2?: number) => frame(residueColumns(s, bMinA2, bRangeA2));
export const metricTable = (m: EvaluationMetrics) => frame(metricColumns(m));

/** A danfojs DataFrame (duck-typed: danfojs may be a different copy than ours). */
export function isDataFrame(v: unknown): v is DataFrame {
  const d = v as { columns?: unknown; values?: unknown; shape?: unknown; $data?: unknown };
  return !!d && typeof d === 'object' && Array.isArray(d.columns) && Array.isArray(d.values) && Array.isArray(d.shape) && d.shape.length === 2;
}

/** Column names and rows of a DataFrame. */
export function tableOf(df: DataFrame): { columns: string[]; rows: Cell[][] } {
  const columns = df.columns.map(String);
  const values = df.values as Cell[][];
  const rows = df.shape[0] === 0 ? [] : values.map((r) => (Array.isArray(r) ? r : [r]).map((c) => (typeof c === 'number' && !Number.isFinite(c) ? null : (c as Cell))));
  return { columns, rows };
}

function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text (RFC 4180: quoted fields where needed, CRLF-free "\n" line ends, header row). */
export function toCsv(df: DataFrame | { columns: string[]; rows: Cell[][] }): string {
  const t = isDataFrame(df) ? tableOf(df) : (df as { columns: string[]; rows: Cell[][] });
  return [t.columns.map(csvField).join(','), ...t.rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

/** Writes the table as CSV (atomically: never a half-written file under `path`). Returns the path. */
export function writeCsv(df: DataFrame | { columns: string[]; rows: Cell[][] }, path: string): string {
  if (!path.toLowerCase().endsWith('.csv')) throw new InputError('CSV_PATH', `writeCsv: ${path} should end in .csv`);
  writeFileAtomic(path, toCsv(df));
  return path;
}
