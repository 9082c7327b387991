/**
 * Standard controls rendered by the stock `@jupyter-widgets/controls` 2.0 front end (ipywidgets 8):
 * no JavaScript of ours is needed for them. Values are validated on the kernel side like
 * ipywidgets' bounded traits (clamped to [min, max]).
 */
import { Widget, type ModelSpec } from './widget.js';

export const CONTROLS_MODULE = '@jupyter-widgets/controls';
export const CONTROLS_VERSION = '2.0.0';
export const OUTPUT_MODULE = '@jupyter-widgets/output';
export const OUTPUT_VERSION = '1.0.0';

function spec(model: string, view: string | null, module = CONTROLS_MODULE, version = CONTROLS_VERSION): ModelSpec {
  return { _model_name: model, _model_module: module, _model_module_version: version, _view_name: view, _view_module: view ? module : null, _view_module_version: version };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export interface SliderOptions<T> {
  value?: T;
  min?: number;
  max?: number;
  step?: number;
  description?: string;
  /** Send values while dragging (true) or on release. @default true */
  continuousUpdate?: boolean;
  /** d3-format of the readout, e.g. '.2f'. */
  readoutFormat?: string;
  disabled?: boolean;
}

function sliderState<T>(o: SliderOptions<T>, defaults: { value: T; min: number; max: number; step: number; readoutFormat: string }): Record<string, unknown> {
  if ((o.min ?? defaults.min) > (o.max ?? defaults.max)) throw new RangeError(`slider: min ${o.min} > max ${o.max}; pass min <= max`);
  return {
    min: o.min ?? defaults.min,
    max: o.max ?? defaults.max,
    step: o.step ?? defaults.step,
    value: o.value ?? defaults.value,
    description: o.description ?? '',
    continuous_update: o.continuousUpdate ?? true,
    readout: true,
    readout_format: o.readoutFormat ?? defaults.readoutFormat,
    orientation: 'horizontal',
    disabled: o.disabled ?? false,
    description_allow_html: false,
    behavior: 'drag-tap',
    layout: null,
    style: null,
  };
}

export class IntSlider extends Widget {
  constructor(o: SliderOptions<number> = {}) {
    super(spec('IntSliderModel', 'IntSliderView'), sliderState(o, { value: o.min ?? 0, min: 0, max: 100, step: 1, readoutFormat: 'd' }));
  }
  get value(): number {
    return this.get<number>('value');
  }
  set value(v: number) {
    this.set('value', v);
  }
  protected override coerce(name: string, v: unknown): unknown {
    if (name === 'value' && typeof v === 'number') return Math.round(clamp(v, this.get<number>('min') ?? -Infinity, this.get<number>('max') ?? Infinity));
    return v;
  }
}

export class FloatSlider extends Widget {
  constructor(o: SliderOptions<number> = {}) {
    super(spec('FloatSliderModel', 'FloatSliderView'), sliderState(o, { value: o.min ?? 0, min: 0, max: 10, step: 0.1, readoutFormat: '.2f' }));
  }
  get value(): number {
    return this.get<number>('value');
  }
  set value(v: number) {
    this.set('value', v);
  }
  protected override coerce(name: string, v: unknown): unknown {
    if (name === 'value' && typeof v === 'number') return clamp(v, this.get<number>('min') ?? -Infinity, this.get<number>('max') ?? Infinity);
    return v;
  }
}

export class FloatRangeSlider extends Widget {
  constructor(o: SliderOptions<[number, number]> = {}) {
    const min = o.min ?? 0, max = o.max ?? 10;
    super(spec('FloatRangeSliderModel', 'FloatRangeSliderView'), sliderState(o, { value: [min + 0.25 * (max - min), min + 0.75 * (max - min)], min, max, step: 0.1, readoutFormat: '.2f' }));
  }
  get value(): [number, number] {
    return this.get<[number, number]>('value');
  }
  set value(v: [number, number]) {
    this.set('value', v);
  }
  protected override coerce(name: string, v: unknown): unknown {
    if (name === 'value' && Array.isArray(v) && v.length === 2) {
      const lo = this.get<number>('min') ?? -Infinity, hi = this.get<number>('max') ?? Infinity;
      const a = clamp(Number(v[0]), lo, hi), b = clamp(Number(v[1]), lo, hi);
      return [Math.min(a, b), Math.max(a, b)];
    }
    return v;
  }
}

export interface DropdownOptions<T> {
  /** Labels, or [label, value] pairs. */
  options: (string | [string, T])[];
  value?: T;
  description?: string;
}

/** A select box; the front end syncs `index`, `value` maps it back to the option value. */
export class Dropdown<T = string> extends Widget {
  readonly values: T[];
  constructor(o: DropdownOptions<T>) {
    const labels = o.options.map((x) => (Array.isArray(x) ? x[0] : x));
    const values = o.options.map((x) => (Array.isArray(x) ? x[1] : (x as unknown as T)));
    const index = o.value === undefined ? (values.length ? 0 : null) : values.indexOf(o.value);
    if (index === -1) throw new RangeError(`Dropdown: value ${JSON.stringify(o.value)} is not one of the options`);
    super(spec('DropdownModel', 'DropdownView'), { _options_labels: labels, index, description: o.description ?? '', disabled: false, layout: null, style: null });
    this.values = values;
  }
  get value(): T | undefined {
    const i = this.get<number | null>('index');
    return i === null ? undefined : this.values[i];
  }
  set value(v: T | undefined) {
    this.set('index', v === undefined ? null : this.values.indexOf(v));
  }
}

export class Checkbox extends Widget {
  constructor(o: { value?: boolean; description?: string; indent?: boolean } = {}) {
    super(spec('CheckboxModel', 'CheckboxView'), { value: o.value ?? false, description: o.description ?? '', indent: o.indent ?? true, disabled: false, layout: null, style: null });
  }
  get value(): boolean {
    return this.get<boolean>('value');
  }
  set value(v: boolean) {
    this.set('value', v);
  }
}

export class Button extends Widget {
  constructor(o: { description?: string; buttonStyle?: '' | 'primary' | 'success' | 'info' | 'warning' | 'danger'; icon?: string; tooltip?: string } = {}) {
    super(spec('ButtonModel', 'ButtonView'), { description: o.description ?? '', button_style: o.buttonStyle ?? '', icon: o.icon ?? '', tooltip: o.tooltip ?? null, disabled: false, layout: null, style: null });
  }
  /** Runs `cb` when the button is clicked in the front end. */
  onClick(cb: (button: Button) => void): void {
    this.onCustom((content) => {
      if ((content as { event?: string } | null)?.event === 'click') cb(this);
    });
  }
}

export class Label extends Widget {
  constructor(value = '') {
    super(spec('LabelModel', 'LabelView'), { value, description: '', layout: null, style: null });
  }
}

/** HTML snippet (rendered by the front end as HTML). */
export class HTML extends Widget {
  constructor(value = '') {
    super(spec('HTMLModel', 'HTMLView'), { value, description: '', layout: null, style: null });
  }
}

class Box extends Widget {
  constructor(model: string, view: string, children: Widget[]) {
    super(spec(model, view), { children, box_style: '', layout: null });
  }
}
export class HBox extends Box {
  constructor(children: Widget[] = []) {
    super('HBoxModel', 'HBoxView', children);
  }
}
export class VBox extends Box {
  constructor(children: Widget[] = []) {
    super('VBoxModel', 'VBoxView', children);
  }
}

/** An output area whose content the kernel sets (stream text and display bundles). */
export class Output extends Widget {
  constructor() {
    super(spec('OutputModel', 'OutputView', OUTPUT_MODULE, OUTPUT_VERSION), { outputs: [], msg_id: '', layout: null });
  }
  appendStdout(text: string): void {
    this.set('outputs', [...this.get<unknown[]>('outputs'), { output_type: 'stream', name: 'stdout', text }]);
  }
  appendDisplay(data: Record<string, unknown>): void {
    this.set('outputs', [...this.get<unknown[]>('outputs'), { output_type: 'display_data', data, metadata: {} }]);
  }
  clear(): void {
    this.set('outputs', []);
  }
}

/**
 * Front-end link (`LinkModel`): keeps `source[1]` of one widget and `target[1]` of another equal in
 * the browser, with no kernel round trip, so it also works in a static HTML export.
 */
export function jslink(source: [Widget, string], target: [Widget, string]): Widget {
  return new Widget(spec('LinkModel', null), { source, target });
}

/** Kernel-side two-way link: setting one attribute sets the other. Returns an unlink function. */
export function link(source: [Widget, string], target: [Widget, string]): () => void {
  const a = source[0].observe(source[1], (c) => target[0].set(target[1], c.new));
  const b = target[0].observe(target[1], (c) => source[0].set(source[1], c.new));
  target[0].set(target[1], source[0].get(source[1]));
  return () => {
    a();
    b();
  };
}
