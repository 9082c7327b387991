/** Plain-text table of evaluation metrics (used by `cryoread evaluate`, the pipeline summary and notebooks). */
import type { EvaluationMetrics } from './evaluate-model.js';

export function formatEvaluation(m: EvaluationMetrics, extra: { chiralityInversions?: number } = {}): string {
  const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const c = m.counts;
  const o = m.oneToOne;
  const rows: [string, string][] = [
    ['one-to-one coverage', `${f(o.coverage)}  (${o.pairs}/${o.referenceNucleotides} reference nt paired by C4' within ${m.params.cutoffA} A)`],
    ['one-to-one precision', `${f(o.precision)}  (${o.pairs}/${o.modelNucleotides} model nt)`],
    ['one-to-one sequence recall', `${f(o.sequenceRecall)}  (${o.sequenceMatches} same-base pairs)`],
    ['one-to-one sequence precision', f(o.sequencePrecision)],
    ['one-to-one register recall', `${f(o.registerRecall)}  (${o.registerMatches} pairs at the reference residue's position: chain id and number, or FASTA position with --fasta)`],
    ["one-to-one C4' RMSD", `${f(o.rmsdA)} A`],
    ['CryoREAD coverage', `${f(m.coverage)}  (${c.coveredReference}/${c.referenceNucleotides} reference nt)`],
    ['CryoREAD precision', `${f(m.precision)}  (${c.coveredModel}/${c.usedModel} used model nt of ${c.modelNucleotides})`],
    ['CryoREAD sequence recall', `${f(m.sequenceRecall)}  (${c.sequenceMatches} matches)`],
    ['CryoREAD sequence precision', f(m.sequencePrecision)],
    ['CryoREAD seq. recall (match)', f(m.sequenceRecallMatch)],
    ['CryoREAD seq. precision (match)', f(m.sequencePrecisionMatch)],
    ['mean backbone deviation', `${f(m.meanBackboneDeviationA)} A  (CryoREAD "RMSD")`],
    ['P recall @3A', `${f(m.pRecall3A)}  (${c.recalledPhosphates}/${c.referencePhosphates})`],
    ['clashes /1000 atoms', `${f(m.clashesPer1000, 2)}  (${c.clashes} pairs, ${c.modelHeavyAtoms} heavy atoms)`],
  ];
  if (extra.chiralityInversions !== undefined) rows.push(['chirality inversions', String(extra.chiralityInversions)]);
  const mode = m.params.compat ? ' (compat: base label as 4th coordinate)' : '';
  return [`cutoff ${m.params.cutoffA} A${mode}`, ...rows.map(([k, v]) => `${k.padEnd(32)}${v}`)].join('\n');
}
