/**
 * Kernel side of NodePlot: a plotly.js 3-D scatter of clustered nodes by class (sugar, phosphate,
 * base, A/UT/C/G) and of traced backbone paths as one line per chain, optionally coloured by the
 * assigned sequence. Hover shows the node id, the class probabilities at the node and its density;
 * a click (shift-click adds) selects nodes, which come back as `selected` ({ class, index } list;
 * `observe('selected', cb)`). Coordinates are sent as Float32Array buffers (Angstroms).
 */
import type { NodeSet } from '../../../src/cluster/node-set.js';
import { NODE_CLASSES, type NodeClass } from '../../../src/cluster/params.js';
import { PROBABILITY_CHANNELS, ProbabilityMaps } from '../../../src/grid/probability-maps.js';
import { Volume } from '../../../src/grid/volume.js';
import type { BackbonePath } from '../../../src/trace/types.js';
import { chainIdFor } from '../../../src/trace/assign-no-sequence.js';
import { InputError } from '../../../src/util/errors.js';
import { Widget } from './widget.js';
import { ANYWIDGET_MODULE, ANYWIDGET_VERSION } from './density-slice.js';
import { frontEndModule } from './front-end.js';
import { viewLibrary } from './library.js';

/** Marker colour per node class (bases in the usual A green, U/T red, C blue, G gold). */
export const NODE_CLASS_COLOURS: Record<NodeClass, string> = {
  sugar: '#e07b39', phosphate: '#7b4fb3', base: '#8a8a8a', A: '#2ca02c', UT: '#d62728', C: '#1f77b4', G: '#d4a017',
};
/** Colour of a sequence letter on sequence-coloured paths. */
export const BASE_LETTER_COLOURS: Record<string, string> = { A: '#2ca02c', U: '#d62728', T: '#d62728', C: '#1f77b4', G: '#d4a017' };

export interface NodePlotInput {
  /** Node sets by class (e.g. `clusters.nodes`). */
  nodes?: Partial<Record<NodeClass, NodeSet>>;
  /** Traced paths: one line per path through P(5') - sugar - P(3'). */
  paths?: readonly BackbonePath[];
  /** Label per path (default chain ids A, B, ...). */
  pathLabels?: readonly string[];
  /** One letter per path node (e.g. the assigned sequence; '-' for none): markers coloured by letter. */
  pathSequences?: readonly string[];
  /** Probability maps: hover shows every channel's probability at each node (nearest voxel). */
  probabilities?: ProbabilityMaps;
}

export interface NodePlotParams {
  /** Classes drawn (others can be added from the legend). @default all seven */
  classes: readonly NodeClass[];
  /** Classes listed but hidden until clicked in the legend. @default ['base'] */
  hiddenClasses: readonly NodeClass[];
  /** Marker size in pixels. @default 4 */
  markerSize: number;
  /** Plot height (CSS pixels). @default 480 */
  heightPx: number;
  /** Plot title. @default '' */
  title: string;
}

export const DEFAULT_NODE_PLOT_PARAMS: NodePlotParams = { classes: NODE_CLASSES, hiddenClasses: ['base'], markerSize: 4, heightPx: 480, title: '' };

export interface SelectedNode {
  class: NodeClass;
  index: number;
}

function coordinates(ns: NodeSet): { x: Float32Array; y: Float32Array; z: Float32Array } {
  return { x: ns.x.slice(), y: ns.y.slice(), z: ns.z.slice() };
}

/** Probabilities of every channel at each node's nearest voxel, node-major (n x 8). */
export function probabilitiesAtNodes(pm: ProbabilityMaps, ns: NodeSet): Float32Array {
  const k = PROBABILITY_CHANNELS.length;
  const out = new Float32Array(ns.count * k);
  for (let c = 0; c < k; c++) {
    const vol = ProbabilityMaps.channel(pm, PROBABILITY_CHANNELS[c]);
    for (let i = 0; i < ns.count; i++) out[i * k + c] = Volume.valueAtAngstrom(vol, ns.x[i], ns.y[i], ns.z[i]);
  }
  return out;
}

/** Polyline of a path: P(5') of the first node, then sugar and 3' phosphate of each node. */
export function pathPolyline(path: BackbonePath): { x: Float32Array; y: Float32Array; z: Float32Array; sugarIndex: Int32Array } {
  const pts: number[][] = [];
  const sugarAt: number[] = [];
  path.nodes.forEach((n, k) => {
    if (k === 0 && n.phosphate5A) pts.push(n.phosphate5A);
    sugarAt.push(pts.length);
    pts.push(n.sugarA);
    if (n.phosphate3A) pts.push(n.phosphate3A);
  });
  const col = (d: number) => Float32Array.from(pts, (p) => p[d]);
  return { x: col(0), y: col(1), z: col(2), sugarIndex: Int32Array.from(sugarAt) };
}

export class NodePlot extends Widget {
  constructor(input: NodePlotInput, params: Partial<NodePlotParams> = {}) {
    const p = { ...DEFAULT_NODE_PLOT_PARAMS, ...params };
    if (!input.nodes && !input.paths) throw new InputError('NODE_PLOT_INPUT', 'NodePlot: give nodes (clusters.nodes) and/or paths (trace.paths)');
    if (input.pathSequences && input.paths && input.pathSequences.length !== input.paths.length) {
      throw new InputError('NODE_PLOT_INPUT', `NodePlot: pathSequences has ${input.pathSequences.length} entries for ${input.paths.length} paths`);
    }
    const classes = [];
    for (const cls of p.classes) {
      const ns = input.nodes?.[cls];
      if (!ns) continue;
      classes.push({
        name: cls,
        colour: NODE_CLASS_COLOURS[cls],
        visible: !p.hiddenClasses.includes(cls),
        count: ns.count,
        ...coordinates(ns),
        density: ns.density.slice(),
        probabilities: input.probabilities ? probabilitiesAtNodes(input.probabilities, ns) : null,
      });
    }
    const paths = (input.paths ?? []).map((path, i) => {
      const line = pathPolyline(path);
      const seq = input.pathSequences?.[i] ?? null;
      if (seq !== null && seq.length !== path.nodes.length) throw new InputError('NODE_PLOT_INPUT', `NodePlot: pathSequences[${i}] has ${seq.length} letters for ${path.nodes.length} nodes`);
      return { label: input.pathLabels?.[i] ?? chainIdFor(i), nodes: path.nodes.length, ...line, sequence: seq };
    });
    super(
      { _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _model_module_version: ANYWIDGET_VERSION, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE, _view_module_version: ANYWIDGET_VERSION },
      {
        _esm: frontEndModule('node-plot'),
        _anywidget_id: 'cryoread.NodePlot',
        plotly_lib: viewLibrary('plotly').modelId,
        classes,
        channel_names: [...PROBABILITY_CHANNELS],
        paths,
        base_colours: BASE_LETTER_COLOURS,
        marker_size: p.markerSize,
        height_px: p.heightPx,
        title: p.title,
        selected: [],
      },
    );
  }

  /** The selected nodes (set by clicks in the view, or from code with `set('selected', ...)`). */
  get selected(): SelectedNode[] {
    return this.get<SelectedNode[]>('selected');
  }

  protected override coerce(name: string, v: unknown): unknown {
    if (name === 'selected') {
      if (!Array.isArray(v)) return [];
      return v.filter((s): s is SelectedNode => !!s && NODE_CLASSES.includes((s as SelectedNode).class) && Number.isInteger((s as SelectedNode).index))
        .map((s) => ({ class: s.class, index: s.index }));
    }
    return v;
  }
}
