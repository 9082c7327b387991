export * from './types.js';
export * from './params.js';
export { buildAtoms, residueCorrespondences, type BuiltStructure } from './build-atoms.js';
export { coarseFromStructure, baseCentroid, defaultCoarseFromStructureParams, type CoarseFromStructureParams } from './coarse.js';
export { nucleotideTemplate, residueNameFor, BACKBONE_ATOM_NAMES, SUGAR_RING_ATOM_NAMES, PHOSPHATE_GROUP_ATOM_NAMES, type NucleotideTemplate, type SugarAnchor, type PhosphateAnchor, type TemplateName } from './template.js';
