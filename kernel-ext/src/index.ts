/** kernel-ext public API for notebook cells and library code (no tslab imports here). */
export { Widget, WIDGET_TARGET, PROTOCOL_VERSION, type WidgetChange, type Observer, type CustomHandler, type ModelSpec } from './widgets/widget.js';
export { IntSlider, FloatSlider, FloatRangeSlider, Dropdown, Checkbox, Button, Label, HTML, HBox, VBox, Output, jslink, link, CONTROLS_MODULE, CONTROLS_VERSION } from './widgets/controls.js';
export { Comm, CommManager, getCommManager, setCommManager, type CommTransport, type LiveModel } from './comm-manager.js';
export { removeBuffers, putBuffers, type BufferPath } from './widgets/buffers.js';
export { DensitySlice, subsample, DEFAULT_DENSITY_SLICE_PARAMS, ANYWIDGET_MODULE, ANYWIDGET_VERSION, type DensitySliceParams, type VoxelClick, type SliceAxis } from './widgets/density-slice.js';
export { NodePlot, NODE_CLASS_COLOURS, BASE_LETTER_COLOURS, DEFAULT_NODE_PLOT_PARAMS, probabilitiesAtNodes, pathPolyline, type NodePlotInput, type NodePlotParams, type SelectedNode } from './widgets/node-plot.js';
export { StructureView, DEFAULT_STRUCTURE_VIEW_PARAMS, structureText, type StructureViewInput, type StructureViewParams, type PickedResidue } from './widgets/structure-view.js';
export { ThresholdTuner, TUNED_CHANNELS, cropBox, type ThresholdTunerParams, type TunerCounts, type TunedParams, type TunedChannel } from './widgets/threshold-tuner.js';
export { DataTable, type DataTableParams } from './widgets/data-table.js';
export { viewLibrary, resetViewLibraries, type ViewLibrary } from './widgets/library.js';
export { frontEndModule, projectRoot, type FrontEndModule } from './widgets/front-end.js';
export { StageProgress } from './widgets/progress.js';
