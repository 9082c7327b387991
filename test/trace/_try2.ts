import { readStructure } from '../../src/io/structure-file.js';
import { oracleProbabilities, gridForStructure } from '../../src/simulate/index.js';
import { clusterNodes } from '../../src/cluster/index.js';
import { traceBackbones } from '../../src/trace/index.js';
import { traceMetrics } from './trace-metrics.js';
const file = process.argv[2] ?? 'cryoread_6v5b_drna.pdb';
const st = await readStructure('/work/shared/data/structures/' + file);
const frame = gridForStructure(st, { voxelSizeA: 1, padA: 6 });
const op = JSON.parse(process.argv[3] ?? '{}');
let t = performance.now();
const pm = oracleProbabilities(st, frame, op);
console.log('oracle ms', (performance.now() - t).toFixed(0), pm.shape);
t = performance.now();
const cl = await clusterNodes(pm, null);
console.log('cluster ms', (performance.now() - t).toFixed(0), 'sugar', cl.nodes.sugar.count, 'P', cl.nodes.phosphate.count, 'seeds', cl.seeds.sugar.voxel.length);
t = performance.now();
const tr = await traceBackbones(cl, pm, { timeBudgetMs: 2000, timePerNodeMs: 0, maxRounds: 50 });
console.log('trace ms', (performance.now() - t).toFixed(0), tr.graph, tr.routing, tr.warnings);
const truth: any[] = [];
for (const c of st.chains) { let i = 0; for (const r of c.residues) { if (r.kind !== 'rna' && r.kind !== 'dna') continue; const a = r.atoms.find((a) => a.name === "C4'"); if (a) truth.push({ chain: c.id, index: i, x: a.x, y: a.y, z: a.z }); i++; } }
console.log('truth', truth.length, JSON.stringify(traceMetrics(tr.paths, truth)));
console.log(tr.paths.map((p) => `${p.nodes.length}:${p.direction}:${p.directionConfidence.toFixed(2)}`).join(' '));
{
  const s = cl.nodes.sugar;
  const atoms = st.chains.flatMap((c) => c.residues.flatMap((r, ri) => r.atoms.filter((a) => a.name.includes("'")).map((a) => ({ a, key: c.id + ri }))));
  const hist = new Map<string, number>();
  const perRes = new Map<string, number>();
  const dens: string[] = [];
  for (let i = 0; i < s.count; i++) {
    let best = 1e9, nm = '', key = '';
    for (const { a, key: k } of atoms) { const d = Math.hypot(a.x - s.x[i], a.y - s.y[i], a.z - s.z[i]); if (d < best) { best = d; nm = a.name; key = k; } }
    hist.set(nm, (hist.get(nm) ?? 0) + 1); perRes.set(key, (perRes.get(key) ?? 0) + 1);
    dens.push(nm + ':' + s.density[i].toFixed(2) + ':' + s.seedCount[i]);
  }
  console.log(hist, [...perRes.values()].reduce((m, v) => (m[v] = (m[v] ?? 0) + 1, m), {} as any));
  console.log(dens.slice(0, 40).join(' '));
}
{
  const { NeighbourGrid } = await import('../../src/grid/neighbour-grid.js');
  const g = new NeighbourGrid({ count: truth.length, x: truth.map((t) => t.x), y: truth.map((t) => t.y), z: truth.map((t) => t.z) }, 2.5);
  const edges = new Set<string>(); for (let e = 0; e < tr.sugarGraph.a.length; e++) edges.add(tr.sugarGraph.a[e] + ',' + tr.sugarGraph.b[e]);
  for (const [pi, p] of tr.paths.entries()) {
    const m = p.nodes.map((n) => g.nearest(n.sugarA[0], n.sugarA[1], n.sugarA[2], 2.5).index);
    const line: string[] = [];
    for (let k = 0; k < m.length; k++) {
      const t = m[k] >= 0 ? truth[m[k]] : null;
      let s = t ? `${t.chain}${t.index}` : '?';
      if (k > 0) { const a = p.nodes[k-1].sugarIndex, b = p.nodes[k].sugarIndex; const d = Math.hypot(...[0,1,2].map(i => p.nodes[k].sugarA[i]-p.nodes[k-1].sugarA[i]) as [number,number,number]); const isE = edges.has(Math.min(a,b)+','+Math.max(a,b)); const tp = m[k-1]>=0 ? truth[m[k-1]] : null; const bad = !(t && tp && t.chain===tp.chain && Math.abs(t.index-tp.index)===1); if (bad) s = `<<${d.toFixed(1)}${isE?'E':''}>>` + s; }
      line.push(s);
    }
    console.log('path', pi, p.direction, line.join(' '));
  }
}
