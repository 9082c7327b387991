/**
 * The stage notebooks as committed: executed (outputs saved, no error), each under 10 MB, opening
 * with a markdown cell, and their saved widget state holding what the views need (the tuner with
 * its counts, one plotly.js / NGL library model per notebook shared by its plots, the NodePlot
 * selection made from code). Reads the files only; test/e2e/notebooks.test.ts executes them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const NOTEBOOKS = join(import.meta.dirname, '..', '..', 'notebooks');

interface Model { model_name: string; state: Record<string, unknown>; buffers?: { path: (string | number)[]; data: string }[] }
interface Nb {
  cells: { cell_type: string; source: string[]; outputs?: { output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown> }[] }[];
  metadata: { widgets?: Record<string, { state: Record<string, Model> }> };
}

const stage = readdirSync(NOTEBOOKS).filter((f) => /^0[1-9]_.*\.ipynb$/.test(f)).sort();
const load = (name: string) => {
  const text = readFileSync(join(NOTEBOOKS, name), 'utf8');
  return { text, nb: JSON.parse(text) as Nb };
};
const models = (nb: Nb): Model[] => Object.values(nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {});
const id = (m: Model) => m.state._anywidget_id;

describe('saved stage notebooks', () => {
  it('include 01_detection and 02_clustering', () => {
    assert.ok(stage.includes('01_detection.ipynb') && stage.includes('02_clustering.ipynb'), stage.join(', '));
  });
  for (const name of stage) {
    it(`${name}: executed, no errors, < 10 MB, opens with what the stage does`, () => {
      const { text, nb } = load(name);
      assert.ok(text.length < 10 * 1024 * 1024, `${(text.length / 1048576).toFixed(1)} MB`);
      assert.equal(nb.cells[0].cell_type, 'markdown');
      assert.match(nb.cells[0].source.join(''), /Parameters that matter/);
      const code = nb.cells.filter((c) => c.cell_type === 'code');
      // tslab reports a failed cell as stderr text (a stack trace), not as an error output.
      for (const c of code) for (const o of c.outputs ?? []) {
        assert.notEqual(o.output_type, 'error');
        if (o.output_type === 'stream' && o.name === 'stderr') assert.doesNotMatch([o.text ?? ''].flat().join(''), /\w*Error\b|^\s+at /m, `${name}: a cell failed`);
      }
      assert.ok(code.filter((c) => (c.outputs ?? []).length === 0).length <= 1, 'code cells have saved outputs (the imports cell may print nothing)');
      for (const m of models(nb)) {
        if (m.model_name === 'AnyModel') assert.equal(typeof m.state._esm, 'string', 'views travel with the notebook');
      }
    });
  }
  it('01_detection: a slice per class and a ThresholdTuner with kernel counts', () => {
    const ms = models(load('01_detection.ipynb').nb);
    assert.equal(ms.filter((m) => id(m) === 'cryoread.DensitySlice').length, 7);
    const tuner = ms.find((m) => id(m) === 'cryoread.ThresholdTuner');
    assert.ok(tuner);
    const counts = tuner.state.counts as { sugarNodes: number; sugarVoxels: number; subBox: string };
    assert.ok(counts.sugarNodes > 10 && counts.sugarVoxels > 1000, JSON.stringify(counts));
    assert.deepEqual((tuner.buffers ?? []).map((b) => b.path.join('/')).sort(), ['channels/base', 'channels/phosphate', 'channels/sugar', 'density']);
  });
  it('02_clustering: NodePlot with the selection made from code, plotly.js saved once, a node table', () => {
    const { nb } = load('02_clustering.ipynb');
    const ms = models(nb);
    assert.equal(ms.filter((m) => id(m) === 'cryoread.lib.plotly').length, 1);
    const plot = ms.find((m) => id(m) === 'cryoread.NodePlot');
    assert.ok(plot);
    assert.equal(plot.state.plotly_lib, Object.entries(nb.metadata.widgets!['application/vnd.jupyter.widget-state+json'].state).find(([, m]) => id(m) === 'cryoread.lib.plotly')![0]);
    assert.deepEqual(plot.state.selected, [{ class: 'sugar', index: 0 }, { class: 'phosphate', index: 0 }]);
    const table = ms.find((m) => id(m) === 'cryoread.DataTable');
    assert.ok(table && (table.state.total_rows as number) > 100);
    const html = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['text/html'] && o.data['application/vnd.jupyter.widget-view+json']);
    assert.ok(html.length >= 1, 'the table widget carries its static HTML fallback');
  });
});
