/** Plain-text table of evaluation metrics (used by `cryoread evaluate`, the pipeline summary and notebooks). */
import type { EvaluationMetrics } from './evaluate-model.js';

export function formatEvaluation(m: EvaluationMetrics, extra: { chiralityInversions?: number } = {}): string {
  const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const c = m.counts;
  const rows: [string, string][] = [
    ['coverage', `${f(m.coverage)}  (${c.coveredReference}/${c.referenceNucleotides} reference nt)`],
    ['precision', `${f(m.precision)}  (${c.coveredModel}/${c.usedModel} used model nt of ${c.modelNucleotides})`],
    ['sequence recall', `${f(m.sequenceRecall)}  (${c.sequenceMatches} matches)`],
    ['sequence precision', f(m.sequencePrecision)],
    ['sequence recall (match)', f(m.sequenceRecallMatch)],
    ['sequence precision (match)', f(m.sequencePrecisionMatch)],
    ['mean backbone deviation', `${f(m.meanBackboneDeviationA)} A  (CryoREAD "RMSD")`],
    ["C4' RMSD", `${f(m.rmsdA)} A  (${c.rmsdPairs} pairs)`],
    ['P recall @3A', `${f(m.pRecall3A)}  (${c.recalledPhosphates}/${c.referencePhosphates})`],
    ['clashes /1000 atoms', `${f(m.clashesPer1000, 2)}  (${c.clashes} pairs, ${c.modelHeavyAtoms} heavy atoms)`],
  ];
  if (extra.chiralityInversions !== undefined) rows.push(['chirality inversions', String(extra.chiralityInversions)]);
  const mode = m.params.compat ? ' (compat: base label as 4th coordinate)' : '';
  return [`cutoff ${m.params.cutoffA} A${mode}`, ...rows.map(([k, v]) => `${k.padEnd(28)}${v}`)].join('\n');
}
