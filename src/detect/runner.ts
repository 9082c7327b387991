/**
 * BoxRunner: what the tiling code needs from a network, so tiling and merging can be tested with a fake
 * (pure TypeScript) runner and run for real with onnxruntime (`DetectionModel`).
 * Buffers are [n][c][z][y][x], x fastest, edge `boxSize`; outputs are probabilities in [0, 1].
 */
export interface Stage1Output {
  /** [n, 4, b, b, b]: sugar, phosphate, base, protein. */
  chain: Float32Array;
  /** [n, 5, b, b, b]: A, U, C, G, T. */
  base: Float32Array;
}

export interface BoxRunner {
  /** Name shown in results and progress messages. */
  readonly name: string;
  /** Box edge in voxels the runner expects. */
  readonly boxSize: number;
  /** Stage 1 on `count` boxes of normalised density (`density.length === count * boxSize^3`). */
  runStage1(density: Float32Array, count: number): Promise<Stage1Output>;
  /**
   * Stage 2 on `count` boxes of 8 channels in stage-2 input order (sugar, phosphate, base, protein, A, UT, C, G).
   * Returns [n, 8, b, b, b] in stage-2 output order (sugar, phosphate, A, UT, C, G, protein, base).
   */
  runStage2(prob8: Float32Array, count: number): Promise<Float32Array>;
}
