/**
 * Maximum-weight selection of fragments under pairwise conflicts, as a 0/1 integer program solved
 * by HiGHS (npm `highs`, HiGHS compiled to WebAssembly). Falls back to a greedy selection (best
 * score first) when the solver is unavailable, fails or runs out of time without a solution.
 */
export interface ConflictProblem {
  weights: readonly number[];
  /** Pairs [i, j] (i < j) that may not both be selected. */
  conflicts: readonly [number, number][];
}

export interface ConflictSolution {
  selected: boolean[];
  solver: 'highs' | 'greedy' | 'trivial';
  status: string;
}

type HighsSolver = { solve(lp: string, options?: Record<string, unknown>): { Status: string; Columns: Record<string, { Primal: number }> } };
let highsPromise: Promise<HighsSolver | null> | null = null;

/** Loads the WebAssembly solver once per process (cached: loading costs ~100 ms). */
function loadHighs(): Promise<HighsSolver | null> {
  highsPromise ??= import('highs')
    .then((m) => (m as unknown as { default: () => Promise<HighsSolver> }).default())
    .catch(() => null);
  return highsPromise;
}

export function greedySelection(p: ConflictProblem): boolean[] {
  const n = p.weights.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [i, j] of p.conflicts) { adj[i].push(j); adj[j].push(i); }
  const order = [...Array(n).keys()].sort((a, b) => p.weights[b] - p.weights[a] || a - b);
  const sel = new Array<boolean>(n).fill(false);
  const blocked = new Array<boolean>(n).fill(false);
  for (const i of order) {
    if (blocked[i] || !(p.weights[i] > 0)) continue;
    sel[i] = true;
    for (const j of adj[i]) blocked[j] = true;
  }
  return sel;
}

export async function solveConflicts(p: ConflictProblem, timeLimitS: number): Promise<ConflictSolution> {
  const n = p.weights.length;
  if (p.conflicts.length === 0) return { selected: p.weights.map((w) => w > 0), solver: 'trivial', status: 'no conflicts' };
  const highs = await loadHighs();
  if (highs) {
    const lines: string[] = ['Maximize', ' obj:'];
    for (let i = 0; i < n; i++) lines.push(`  + ${Math.max(0, p.weights[i]).toFixed(4)} x${i}`);
    lines.push('Subject To');
    p.conflicts.forEach(([i, j], k) => lines.push(` c${k}: x${i} + x${j} <= 1`));
    lines.push('Binary');
    for (let i = 0; i < n; i++) lines.push(` x${i}`);
    lines.push('End');
    try {
      const r = highs.solve(lines.join('\n'), { time_limit: timeLimitS, output_flag: false });
      if (r.Status === 'Optimal' || (r.Columns && Object.keys(r.Columns).length === n && r.Status.includes('limit'))) {
        const selected = [...Array(n).keys()].map((i) => (r.Columns[`x${i}`]?.Primal ?? 0) > 0.5);
        return { selected, solver: 'highs', status: r.Status };
      }
    } catch {
      // fall through to greedy
    }
  }
  return { selected: greedySelection(p), solver: 'greedy', status: highs ? 'solver failed or timed out' : 'solver unavailable' };
}
