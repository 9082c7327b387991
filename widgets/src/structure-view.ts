/**
 * StructureView view (anywidget module): an NGL stage with the model (cartoon + bases, coloured by
 * B-factor = confidence, or by chain), an optional reference model (thin tube, one colour) and the
 * map as a mesh isosurface whose level follows the contour slider (synced with the kernel's `contour`).
 * Clicking an atom sends its residue to the kernel as `picked`.
 */
import { bytes, loadLibrary, type AfmModel } from './lib-loader.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Ngl = any;

export function contourLabel(v: number): string {
  return `contour ${Number.isFinite(v) ? v.toPrecision(3) : '-'}`;
}

function render({ model, el }: { model: AfmModel; el: HTMLElement }): () => void {
  const root = document.createElement('div');
  root.className = 'cryoread-structure-view';
  const bar = document.createElement('div');
  bar.style.font = '12px sans-serif';
  bar.style.display = 'flex';
  bar.style.gap = '8px';
  bar.style.alignItems = 'center';
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.className = 'cryoread-contour';
  const label = document.createElement('span');
  const picked = document.createElement('span');
  picked.className = 'cryoread-picked';
  const viewport = document.createElement('div');
  viewport.style.width = '100%';
  viewport.style.minWidth = '480px';
  viewport.style.height = `${Number(model.get('height_px') ?? 480)}px`;
  viewport.style.position = 'relative';
  root.append(bar, viewport);
  el.appendChild(root);
  const hasMap = model.get('map') !== null && model.get('map') !== undefined;
  if (hasMap) {
    slider.min = String(model.get('contour_min'));
    slider.max = String(model.get('contour_max'));
    slider.step = String(model.get('contour_step'));
    slider.value = String(model.get('contour'));
    label.textContent = contourLabel(Number(model.get('contour')));
    bar.append(document.createTextNode('map'), slider, label);
  }
  bar.append(picked);
  const showPicked = (): void => {
    const p = model.get('picked') as { chain: string; residue: number; name: string } | null;
    picked.textContent = p ? `picked ${p.name} ${p.chain}${p.residue}` : model.get('model') ? 'click a residue to pick it' : '';
  };
  showPicked();

  let stage: Ngl = null;
  let surface: Ngl = null;
  let disposed = false;
  const onContour = (): void => {
    const v = Number(model.get('contour'));
    slider.value = String(v);
    label.textContent = contourLabel(v);
    surface?.setParameters({ isolevel: v });
    root.dataset.contour = String(v);
  };
  const onSlider = (): void => {
    model.set('contour', Number(slider.value));
    model.save_changes();
    onContour();
  };
  slider.addEventListener('input', onSlider);
  model.on('change:contour', onContour);
  model.on('change:picked', showPicked);

  void loadLibrary<Ngl>(model, 'ngl_lib').then(async (NGL) => {
    if (disposed) return;
    stage = new NGL.Stage(viewport, { backgroundColor: 'white', tooltip: true });
    const m = model.get('model');
    let focus: Ngl = null;
    if (m) {
      const comp = await stage.loadFile(new Blob([bytes(m)]), { ext: String(model.get('model_ext')), name: 'model' });
      const scheme = model.get('colour_by') === 'chainid' ? { colorScheme: 'chainid' } : { colorScheme: 'bfactor', colorScale: 'RdYlBu', colorReverse: true };
      comp.addRepresentation('cartoon', scheme);
      comp.addRepresentation('base', scheme);
      focus = comp;
    }
    const r = model.get('reference');
    if (r) {
      const ref = await stage.loadFile(new Blob([bytes(r)]), { ext: String(model.get('reference_ext')), name: 'reference' });
      ref.addRepresentation('tube', { color: String(model.get('reference_colour')), radius: 0.3, opacity: 0.8 });
      focus ??= ref;
    }
    if (hasMap) {
      const map = await stage.loadFile(new Blob([bytes(model.get('map'))]), { ext: 'mrc', name: 'map' });
      surface = map.addRepresentation('surface', { isolevelType: 'value', isolevel: Number(model.get('contour')), wireframe: true, color: '#3a7bd5', opacity: 0.6, useWorker: false });
      focus ??= map;
      root.dataset.contour = String(model.get('contour'));
    }
    stage.signals.clicked.add((pp: Ngl) => {
      const atom = pp?.atom ?? pp?.closestBondAtom;
      if (!atom) return;
      model.set('picked', { chain: String(atom.chainname), residue: Number(atom.resno), name: String(atom.resname), atom: String(atom.atomname) });
      model.save_changes();
      showPicked();
    });
    // The stage may have been created before the cell output was laid out: size it now, then frame
    // the model (or whatever was loaded).
    stage.handleResize();
    // Look across the model's longest principal axis (it lies along the screen's x), then frame it.
    if (focus?.structure) stage.viewerControls.rotate(focus.structure.getPrincipalAxes().getRotationQuaternion());
    focus?.autoView();
    root.dataset.ready = 'true';
  }).catch((e) => {
    picked.textContent = `StructureView: could not start NGL (${String(e)})`;
    console.error(e);
  });
  const onResize = (): void => stage?.handleResize();
  window.addEventListener('resize', onResize);
  return () => {
    disposed = true;
    slider.removeEventListener('input', onSlider);
    model.off('change:contour', onContour);
    model.off('change:picked', showPicked);
    window.removeEventListener('resize', onResize);
    stage?.dispose();
  };
}

export default { render };
