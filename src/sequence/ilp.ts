/**
 * Maximum-weight selection of fragments under conflicts, as a 0/1 integer program solved by
 * HiGHS (npm `highs`, HiGHS compiled to WebAssembly), with optional bonuses for selecting two
 * fragments together. Conflicts come as pairs and as cliques (sets of which at most one may be
 * selected, e.g. all fragments covering one path node: one row instead of k^2/2 pairs, and a much
 * tighter relaxation). When the solver stops at its time limit its incumbent is compared with a
 * greedy selection (best weight first) and the better one is kept; the greedy selection alone is
 * used when the solver is unavailable or fails.
 */
export interface ConflictProblem {
  weights: readonly number[];
  /** Pairs [i, j] (i < j) that may not both be selected. */
  conflicts: readonly [number, number][];
  /** Sets of indices of which at most one may be selected. */
  cliques?: readonly (readonly number[])[];
  /**
   * Terms added to the objective when both i and j are selected (either sign): a variable
   * y <= x_i, y <= x_j for a positive bonus, y >= x_i + x_j - 1 for a negative one.
   */
  pairBonuses?: readonly { i: number; j: number; bonus: number }[];
}

export interface ConflictSolution {
  selected: boolean[];
  solver: 'highs' | 'greedy' | 'trivial';
  status: string;
}

/** Objective value of a selection (weights plus the bonuses of selected pairs). */
export function selectionObjective(p: ConflictProblem, sel: readonly boolean[]): number {
  let v = 0;
  p.weights.forEach((w, i) => { if (sel[i]) v += w; });
  for (const b of p.pairBonuses ?? []) if (sel[b.i] && sel[b.j]) v += b.bonus;
  return v;
}

/** True when no conflict or clique is violated. */
export function isFeasible(p: ConflictProblem, sel: readonly boolean[]): boolean {
  if (p.conflicts.some(([i, j]) => sel[i] && sel[j])) return false;
  return (p.cliques ?? []).every((c) => c.filter((i) => sel[i]).length <= 1);
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

/** Greedy selection by weight (pair bonuses ignored): always feasible. */
export function greedySelection(p: ConflictProblem): boolean[] {
  const n = p.weights.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [i, j] of p.conflicts) { adj[i].push(j); adj[j].push(i); }
  const inCliques: number[][] = Array.from({ length: n }, () => []);
  (p.cliques ?? []).forEach((c, k) => { for (const i of c) inCliques[i].push(k); });
  const order = [...Array(n).keys()].sort((a, b) => p.weights[b] - p.weights[a] || a - b);
  const sel = new Array<boolean>(n).fill(false);
  const blocked = new Array<boolean>(n).fill(false);
  for (const i of order) {
    if (blocked[i] || !(p.weights[i] > 0)) continue;
    sel[i] = true;
    for (const j of adj[i]) blocked[j] = true;
    for (const k of inCliques[i]) for (const j of p.cliques![k]) blocked[j] = true;
  }
  return sel;
}

/**
 * Bonus terms up to which the quadratic objective is solved exactly (one variable and one or two
 * rows each); beyond, `solveByRounds`. Measured on oracle traces: ~1 000 terms over ~150
 * fragments took 16 s exactly and 2 s by rounds with the same selection; over 32 structures the
 * cap 300 gave the same sequence recall as 2 000 at a third of the time.
 */
export const MAX_EXACT_BONUS_TERMS = 300;

export async function solveConflicts(p: ConflictProblem, timeLimitS: number): Promise<ConflictSolution> {
  if ((p.pairBonuses?.length ?? 0) > MAX_EXACT_BONUS_TERMS) return solveByRounds(p, timeLimitS);
  return solveExact(p, timeLimitS);
}

/**
 * Large problems with pair bonuses: solve without bonuses, then re-solve with each fragment's
 * weight raised by its bonuses with the fragments of the current selection it does not conflict
 * with, a few rounds; the selection with the best true objective is kept. Each round is a plain
 * conflict program (fast); joint changes of two fragments that are both wrong in the first
 * selection are out of its reach.
 */
async function solveByRounds(p: ConflictProblem, timeLimitS: number, rounds = 3): Promise<ConflictSolution> {
  // timeLimitS bounds the whole call: the first solve may take half of it, each round an equal
  // share of what is left (the rounds used to get timeLimitS each: 4 x 20 s on 23S).
  const end = performance.now() + 1000 * timeLimitS;
  const budget = (solvesLeft: number) => Math.max(0.5, (end - performance.now()) / 1000 / solvesLeft);
  const n = p.weights.length;
  const bonuses = p.pairBonuses ?? [];
  const pairSet = new Set(p.conflicts.map(([i, j]) => i * n + j));
  const cliquesOf: number[][] = Array.from({ length: n }, () => []);
  (p.cliques ?? []).forEach((c, k) => { for (const i of c) cliquesOf[i].push(k); });
  const collide = (i: number, j: number) => pairSet.has(Math.min(i, j) * n + Math.max(i, j)) || cliquesOf[i].some((k) => cliquesOf[j].includes(k));
  const plain = { weights: p.weights, conflicts: p.conflicts, cliques: p.cliques };
  let cur = await solveExact(plain, Math.max(0.5, timeLimitS / 2));
  let best = cur, bestObj = selectionObjective(p, cur.selected);
  for (let r = 0; r < rounds; r++) {
    const w = p.weights.slice();
    for (const b of bonuses) {
      if (cur.selected[b.j] && !collide(b.i, b.j)) w[b.i] += b.bonus;
      if (cur.selected[b.i] && !collide(b.i, b.j)) w[b.j] += b.bonus;
    }
    const next = await solveExact({ ...plain, weights: w }, budget(rounds - r));
    const obj = selectionObjective(p, next.selected);
    if (obj > bestObj) { best = next; bestObj = obj; }
    if (next.selected.every((v, i) => v === cur.selected[i])) break;
    cur = next;
  }
  return { ...best, status: `${best.status}; ${bonuses.length} pair bonuses by rounds` };
}

async function solveExact(p: ConflictProblem, timeLimitS: number): Promise<ConflictSolution> {
  const n = p.weights.length;
  const bonuses = p.pairBonuses ?? [];
  if (p.conflicts.length === 0 && !(p.cliques ?? []).some((c) => c.length > 1) && bonuses.every((b) => b.bonus >= 0)) return { selected: p.weights.map((w) => w > 0), solver: 'trivial', status: 'no conflicts' };
  const highs = await loadHighs();
  if (highs) {
    const lines: string[] = ['Maximize', ' obj:'];
    const term = (w: number, v: string) => `  ${w < 0 ? '-' : '+'} ${Math.abs(w).toFixed(4)} ${v}`;
    for (let i = 0; i < n; i++) lines.push(term(p.weights[i], `x${i}`));
    bonuses.forEach((b, k) => lines.push(term(b.bonus, `y${k}`)));
    lines.push('Subject To');
    p.conflicts.forEach(([i, j], k) => lines.push(` c${k}: x${i} + x${j} <= 1`));
    (p.cliques ?? []).forEach((c, k) => { if (c.length > 1) lines.push(` q${k}: ${c.map((i) => `x${i}`).join(' + ')} <= 1`); });
    bonuses.forEach((b, k) => {
      if (b.bonus >= 0) lines.push(` ya${k}: y${k} - x${b.i} <= 0`, ` yb${k}: y${k} - x${b.j} <= 0`);
      else lines.push(` yn${k}: x${b.i} + x${b.j} - y${k} <= 1`);
    });
    if (bonuses.length) {
      lines.push('Bounds');
      bonuses.forEach((_, k) => lines.push(` 0 <= y${k} <= 1`));
    }
    lines.push('Binary');
    for (let i = 0; i < n; i++) lines.push(` x${i}`);
    lines.push('End');
    try {
      const r = highs.solve(lines.join('\n'), { time_limit: timeLimitS, output_flag: false });
      if (r.Status === 'Optimal') {
        return { selected: [...Array(n).keys()].map((i) => (r.Columns[`x${i}`]?.Primal ?? 0) > 0.5), solver: 'highs', status: r.Status };
      }
      if (r.Columns && r.Status.includes('limit')) {
        // stopped at the time limit: keep its incumbent only if feasible and not worse than greedy
        const incumbent = [...Array(n).keys()].map((i) => (r.Columns[`x${i}`]?.Primal ?? 0) > 0.5);
        const greedy = greedySelection(p);
        if (isFeasible(p, incumbent) && selectionObjective(p, incumbent) >= selectionObjective(p, greedy)) return { selected: incumbent, solver: 'highs', status: r.Status };
        return { selected: greedy, solver: 'greedy', status: `${r.Status}; greedy selection was better` };
      }
    } catch {
      // fall through to greedy
    }
  }
  return { selected: greedySelection(p), solver: 'greedy', status: highs ? 'solver failed or timed out' : 'solver unavailable' };
}
