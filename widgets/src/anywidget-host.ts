/**
 * A minimal host for anywidget front-end modules (`_esm`), for pages without the anywidget
 * JupyterLab extension (our static HTML embed). Same model/view names and module as anywidget, so
 * notebooks saved by the cryoread kernel render in JupyterLab/VS Code/Colab with anywidget too.
 */
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';

export const ANYWIDGET_MODULE = 'anywidget';

interface Afm {
  initialize?: (ctx: { model: unknown }) => unknown;
  render?: (ctx: { model: unknown; el: HTMLElement }) => unknown;
}

const modules = new Map<string, Promise<Afm>>();

async function loadEsm(source: string): Promise<Afm> {
  let p = modules.get(source);
  if (!p) {
    const url = /^(https?:|data:|blob:)/.test(source) ? source : URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    p = import(/* webpackIgnore: true */ url).then((m: { default?: Afm } & Afm) => m.default ?? m);
    modules.set(source, p);
  }
  return p;
}

export class AnyModel extends DOMWidgetModel {
  override defaults() {
    return { ...super.defaults(), _model_name: 'AnyModel', _model_module: ANYWIDGET_MODULE, _view_name: 'AnyView', _view_module: ANYWIDGET_MODULE };
  }
}

export class AnyView extends DOMWidgetView {
  #cleanup: unknown;
  override async render(): Promise<void> {
    try {
      const afm = await loadEsm(String(this.model.get('_esm')));
      this.#cleanup = await afm.render?.({ model: this.model, el: this.el });
    } catch (e) {
      console.error('anywidget host: render failed', e);
      throw e;
    }
  }
  override remove(): void {
    if (typeof this.#cleanup === 'function') (this.#cleanup as () => void)();
    super.remove();
  }
}
