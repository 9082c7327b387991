/**
 * Limited-memory BFGS minimiser (Nocedal & Wright, Numerical Optimization, algorithms 7.4/7.5) with a
 * backtracking line search on the Armijo condition, for the refinement target (reference section 21:
 * what Phenix/Coot minimise there, here in-process).
 *
 * Why our own: the npm registry has no kept L-BFGS (`fmin` offers gradient descent / conjugate
 * gradient / Nelder-Mead, last release 2017; `numeric`'s `uncmin` is dense BFGS, 2012), and the
 * algorithm is ~100 lines. Deterministic: no randomness, fixed iteration order.
 */

export interface LbfgsParams {
  /** Maximum iterations (each one line search). @default 100 */
  maxIterations: number;
  /** History pairs kept. @default 8 */
  memory: number;
  /** Stop when the gradient's max-norm is below this. @default 1e-4 */
  gradientTolerance: number;
  /** Stop when the relative energy decrease of an iteration is below this. @default 1e-7 */
  relativeTolerance: number;
  /** Largest move of any coordinate in the first trial step of an iteration, in the variables' units. @default 0.3 */
  maxStep: number;
}

export const defaultLbfgsParams: LbfgsParams = { maxIterations: 100, memory: 8, gradientTolerance: 1e-4, relativeTolerance: 1e-7, maxStep: 0.3 };

/** Energy and gradient at x: fills `grad` (same length as x) and returns the energy. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsResult {
  energy: number;
  iterations: number;
  evaluations: number;
  /** Why it stopped. */
  reason: 'gradient' | 'converged' | 'max-iterations' | 'line-search' | 'stopped';
}

const dotN = (a: Float64Array, b: Float64Array): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/**
 * Minimises f from x (updated in place). `onIteration(iter, energy)` runs after each accepted step;
 * returning false stops the run ('stopped').
 */
export function lbfgs(f: Objective, x: Float64Array, params: Partial<LbfgsParams> = {}, onIteration?: (iteration: number, energy: number) => boolean | void): LbfgsResult {
  const p = { ...defaultLbfgsParams, ...params };
  const n = x.length;
  const g = new Float64Array(n), gNew = new Float64Array(n), d = new Float64Array(n), xNew = new Float64Array(n); // optimiser vectors over 3 x atoms (not voxels): float64, line searches need the precision
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const alpha = new Float64Array(p.memory); // one value per stored correction pair
  let e = f(x, g);
  let evaluations = 1;
  const maxAbs = (v: Float64Array) => { let m = 0; for (let i = 0; i < v.length; i++) { const a = Math.abs(v[i]); if (a > m) m = a; } return m; };
  for (let iter = 1; iter <= p.maxIterations; iter++) {
    if (maxAbs(g) < p.gradientTolerance) return { energy: e, iterations: iter - 1, evaluations, reason: 'gradient' };
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dotN(S[k], d);
      const y = Y[k];
      for (let i = 0; i < n; i++) d[i] -= alpha[k] * y[i];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dotN(S[last], Y[last]) / dotN(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dotN(Y[k], d);
      const s = S[k];
      for (let i = 0; i < n; i++) d[i] += s[i] * (alpha[k] - beta);
    }
    let slope = dotN(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dotN(g, d);
    }
    // Trial step: full quasi-Newton step, capped so no coordinate moves more than maxStep.
    const dmax = maxAbs(d);
    let step = dmax > p.maxStep ? p.maxStep / dmax : 1;
    let eNew = Infinity;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      eNew = f(xNew, gNew);
      evaluations++;
      if (Number.isFinite(eNew) && eNew <= e + 1e-4 * step * slope) { accepted = true; break; }
      step *= 0.5;
    }
    if (!accepted) return { energy: e, iterations: iter - 1, evaluations, reason: 'line-search' };
    const s = new Float64Array(n), y = new Float64Array(n); // correction pair vectors (3 x atoms), float64 for the curvature products
    for (let i = 0; i < n; i++) { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; }
    const sy = dotN(s, y);
    if (sy > 1e-12) {
      if (S.length === p.memory) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    const ePrev = e;
    e = eNew;
    if (onIteration && onIteration(iter, e) === false) return { energy: e, iterations: iter, evaluations, reason: 'stopped' };
    if (Math.abs(ePrev - e) <= p.relativeTolerance * Math.max(1, Math.abs(e))) return { energy: e, iterations: iter, evaluations, reason: 'converged' };
  }
  return { energy: e, iterations: p.maxIterations, evaluations, reason: 'max-iterations' };
}
