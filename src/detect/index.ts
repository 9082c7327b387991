/** Detection: box tiling, onnxruntime-node sessions, two-stage cascade, merging, model registry. */
export * from './params.js';
export { axisStarts, boxStarts, planBoxes, boxHasDensity, densityKeepThreshold, keepCount, type BoxStart } from './tiling.js';
export { extractBox, addBox, maxBox, countBox } from './box-io.js';
export type { BoxRunner, Stage1Output } from './runner.js';
export { parseModelCard, readModelCard, MODEL_CARD_FILE, STAGE1_FILE, STAGE2_FILE, type ModelCard } from './model-card.js';
export { DetectionModel, type SessionOptions } from './onnx-model.js';
export { listModels, selectModel, loadDetectionModel, defaultModelsDir, type ModelEntry, type LoadModelOptions } from './registry.js';
export { detect, detectWithRunner, describeDetection, type DetectInput } from './detect.js';
export { writeDetectionMaps, STAGE1_DIR, STAGE2_DIR } from './write-maps.js';
