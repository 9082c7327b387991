/** kernel-ext public API for notebook cells and library code (no tslab imports here). */
export { Widget, WIDGET_TARGET, PROTOCOL_VERSION, type WidgetChange, type Observer, type CustomHandler, type ModelSpec } from './widgets/widget.js';
export { IntSlider, FloatSlider, FloatRangeSlider, Dropdown, Checkbox, Button, Label, HTML, HBox, VBox, Output, jslink, link, CONTROLS_MODULE, CONTROLS_VERSION } from './widgets/controls.js';
export { Comm, CommManager, getCommManager, setCommManager, type CommTransport, type LiveModel } from './comm-manager.js';
export { removeBuffers, putBuffers, type BufferPath } from './widgets/buffers.js';
export { DensitySlice, subsample, DEFAULT_DENSITY_SLICE_PARAMS, ANYWIDGET_MODULE, ANYWIDGET_VERSION, type DensitySliceParams, type VoxelClick, type SliceAxis } from './widgets/density-slice.js';
