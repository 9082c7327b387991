/**
 * Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations.
 * Exact to machine precision for the 3x3 / 4x4 matrices used by superposition; O(n^3) per sweep,
 * so meant for small n only.
 */

export interface SymmetricEigen {
  /** Eigenvalues, sorted descending. */
  values: number[];
  /** Eigenvectors as rows: vectors[k] belongs to values[k] (unit length). */
  vectors: number[][];
}

/**
 * Eigenvalues and eigenvectors of the symmetric n x n matrix `m` (row-major, length n*n).
 * The input is not modified. Only the upper triangle is read.
 */
export function eigenSymmetric(m: ArrayLike<number>, n: number): SymmetricEigen {
  if (m.length !== n * n) throw new RangeError(`eigenSymmetric: matrix length ${m.length} != n*n = ${n * n}`);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { a[i * n + j] = m[i * n + j]; a[j * n + i] = m[i * n + j]; }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  return {
    values: order.map((i) => a[i * n + i]),
    vectors: order.map((i) => Array.from({ length: n }, (_, k) => v[k * n + i])),
  };
}
