/**
 * Per-element weights for simulated cryo-EM density.
 *
 * Approximation: each atom contributes a single 3-D Gaussian whose integral is the atom's elastic
 * electron scattering factor at zero angle, f_e(0) = a1 + ... + a5 of the 5-Gaussian fit of
 * Peng, Ren, Dudarev & Whelan (1996), Acta Cryst. A52, 257-276 (neutral atoms, in Angstroms).
 * Why f_e(0) and not the atomic number Z: cryo-EM maps image the Coulomb potential, and electron
 * scattering grows much more slowly than Z and is not monotone in Z among light atoms
 * (C 2.51 > N 2.21 > O 1.98, P 5.49): weighting by Z would make oxygens (phosphate and sugar) and
 * phosphorus far too strong relative to carbons. The widths of the five terms (b_i) are dropped:
 * at the resolutions simulated (>= 2 A) the resolution blur dominates the atomic form factor.
 */

/** f_e(0) in Angstroms, sum of the five Peng 1996 a_i coefficients, keyed by capitalised element symbol. */
export const ELECTRON_SCATTERING_F0: Readonly<Record<string, number>> = {
  H: 0.0349 + 0.1201 + 0.197 + 0.0573 + 0.1195,
  C: 0.0893 + 0.2563 + 0.757 + 1.0487 + 0.3575,
  N: 0.1022 + 0.3219 + 0.7982 + 0.8197 + 0.1715,
  O: 0.0974 + 0.2921 + 0.691 + 0.699 + 0.2039,
  F: 0.1083 + 0.3175 + 0.6487 + 0.5846 + 0.1421,
  Na: 0.2142 + 0.6853 + 0.7692 + 1.6589 + 1.4482,
  Mg: 0.2314 + 0.6866 + 0.9677 + 2.1882 + 1.1339,
  P: 0.2548 + 0.6106 + 1.4541 + 2.3204 + 0.8477,
  S: 0.2497 + 0.5628 + 1.3899 + 2.1865 + 0.7715,
  Cl: 0.2443 + 0.5397 + 1.3919 + 2.0197 + 0.6621,
  K: 0.4115 + 1.4031 + 2.2784 + 2.6742 + 2.2162,
};

const ATOMIC_NUMBER: Readonly<Record<string, number>> = {
  H: 1, D: 1, C: 6, N: 7, O: 8, F: 9, Na: 11, Mg: 12, P: 15, S: 16, Cl: 17, K: 19, Ca: 20, Mn: 25, Fe: 26,
  Co: 27, Ni: 28, Cu: 29, Zn: 30, Se: 34, Br: 35, Sr: 38, Cd: 48, I: 53, Ba: 56, Pt: 78, Au: 79, Hg: 80, Pb: 82,
};

/**
 * Zero-angle electron scattering weight of an element (Angstroms). Elements outside the table
 * (rare metals, halides) use the rough rule f_e(0) ~ 0.75 * Z^(2/3), which matches carbon and is
 * within ~20% of the tabulated values for P, S and Mg; unknown symbols get carbon's value.
 */
export function electronScatteringWeight(element: string): number {
  const sym = element.length > 1 ? element[0].toUpperCase() + element.slice(1).toLowerCase() : element.toUpperCase();
  const f = ELECTRON_SCATTERING_F0[sym === 'D' ? 'H' : sym];
  if (f !== undefined) return f;
  const z = ATOMIC_NUMBER[sym];
  return z !== undefined ? 0.75 * Math.pow(z, 2 / 3) : ELECTRON_SCATTERING_F0.C;
}
