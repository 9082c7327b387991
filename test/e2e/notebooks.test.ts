/**
 * End to end: every notebook in notebooks/ executed by nbconvert (Debian's Jupyter under
 * /usr/bin/python3) on the cryoread kernelspec installed into a temp JUPYTER_PATH; then the executed
 * quick-start exported to HTML with our offline embed bundle and rendered in headless Chromium
 * (playwright-core driving /usr/bin/chromium): non-blank slice canvas, and a slider drag that changes the view.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAUNCHER } from '../kernel-ext/kernel-client.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NOTEBOOKS = join(ROOT, 'notebooks');
const PYTHON = '/usr/bin/python3';
const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.CI === 'true' || process.env.CRYOREAD_REQUIRE_SHARED === '1';

function hasNbconvert(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import nbconvert, nbclient'], { timeout: 30_000 }).status === 0;
}

function skipOrFail(t: TestContext, why: string): void {
  if (REQUIRED) assert.fail(`${why} (CI installs it through .ci/run)`);
  t.skip(why);
}

interface Nb {
  cells: { cell_type: string; outputs?: { output_type: string; ename?: string; name?: string; text?: string | string[]; data?: Record<string, unknown> }[] }[];
  metadata: { widgets?: Record<string, { state: Record<string, { model_name: string; model_module: string; state: Record<string, unknown>; buffers?: { path: string[]; encoding: string; data: string }[] }> }> };
}

describe('notebooks on the cryoread kernel', { timeout: 1_500_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'cryoread-e2e-'));
  const prefix = join(work, 'prefix');
  const env = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(work, 'data'), JUPYTER_RUNTIME_DIR: join(work, 'runtime'), JUPYTER_CONFIG_DIR: join(work, 'config'), PYTHONNOUSERSITE: '1' };
  const executed = new Map<string, string>();

  before(() => {
    const r = spawnSync(process.execPath, [LAUNCHER, 'install', '--prefix', prefix, '--json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const names = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).sort();
  it('finds the quick-start notebook', () => assert.ok(names.includes('00_quickstart.ipynb')));

  for (const name of names) {
    it(`executes ${name} with no cell errors`, { timeout: 400_000 }, (t) => {
      if (!hasNbconvert()) return skipOrFail(t, `${PYTHON} has no nbconvert/nbclient`);
      const out = join(work, name.replace(/\.ipynb$/, '.out.ipynb'));
      const r = spawnSync(PYTHON, ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=cryoread', '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.startup_timeout=180', '--output', out, join(NOTEBOOKS, name)], { cwd: NOTEBOOKS, env, encoding: 'utf8', timeout: 380_000 });
      assert.equal(r.status, 0, `nbconvert failed for ${name}:\n${r.stderr.slice(-3000)}`);
      const nb = JSON.parse(readFileSync(out, 'utf8')) as Nb;
      // tslab reports exceptions as stderr text plus an error execute_reply (nbconvert then fails above).
      for (const c of nb.cells) for (const o of c.outputs ?? []) assert.notEqual(o.output_type, 'error', `${name}: ${o.ename}`);
      assert.ok(nb.cells.filter((c) => c.cell_type === 'code').every((c) => (c as { execution_count?: number | null }).execution_count != null), 'execute_input gives every cell its count');
      executed.set(name, out);
    });
  }

  it('saves the quick-start widget state (sliders, link, DensitySlice with its Float32Array buffer)', (t) => {
    const out = executed.get('00_quickstart.ipynb');
    if (!out) return skipOrFail(t, 'quick-start was not executed');
    const nb = JSON.parse(readFileSync(out, 'utf8')) as Nb;
    const state = nb.metadata.widgets?.['application/vnd.jupyter.widget-state+json']?.state ?? {};
    const models = Object.values(state);
    const byName = (n: string) => models.filter((m) => m.model_name === n);
    assert.equal(byName('IntSliderModel').length, 1);
    assert.equal(byName('FloatSliderModel').length, 1);
    assert.equal(byName('LinkModel').length, 1);
    assert.equal(byName('VBoxModel').length, 1);
    const slices = byName('AnyModel');
    assert.equal(slices.length, 2, 'the viewer and show(volume)');
    const main = slices.find((m) => m.state.display_px === 360)!;
    const [nz, ny, nx] = main.state.shape as number[];
    assert.equal(main.buffers?.length, 1);
    assert.deepEqual(main.buffers![0].path, ['data']);
    assert.equal(Buffer.from(main.buffers![0].data, 'base64').byteLength, nz * ny * nx * 4);
    const slider = byName('IntSliderModel')[0].state;
    assert.equal(slider.max, nz - 1);
    assert.equal(main.state.index, slider.value, 'view index follows the slice slider through the kernel');
    // The viewer and the show(volume) output carry a PNG fallback next to the widget view.
    const pngOutputs = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/png'] && o.data['application/vnd.jupyter.widget-view+json']);
    assert.equal(pngOutputs.length, 2);
  });

  it('renders the exported quick-start in headless Chromium; dragging the slider changes the slice', { timeout: 240_000 }, async (t) => {
    const out = executed.get('00_quickstart.ipynb');
    if (!out) return skipOrFail(t, 'quick-start was not executed');
    if (!existsSync(CHROMIUM)) return skipOrFail(t, `${CHROMIUM} missing`);
    const { buildEmbed } = await import('../../widgets/build.mjs');
    await buildEmbed(work);
    const html = join(work, 'quickstart.html');
    const r = spawnSync(PYTHON, ['-m', 'nbconvert', '--to', 'html', '--HTMLExporter.widget_renderer_url=embed.js', '--output', html, out], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, timeout: 60_000, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const kill = setTimeout(() => void browser.close(), 200_000);
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // No network for browsers here: fail fast on any non-file request (CDN fonts, MathJax).
      await page.route(/^(?!file:|data:|blob:)/, (route) => route.abort());
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 60_000 });
      await page.waitForFunction(() => document.documentElement.dataset.widgetsRendered === 'true', undefined, { timeout: 60_000 });
      const canvas = page.locator('.cryoread-density-slice canvas').first();
      await canvas.waitFor({ timeout: 30_000 });
      const slider = page.locator('.widget-hslider').first();
      await slider.waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('.widget-hslider').count(), 2, 'slice and contour sliders');
      const shot = await page.screenshot({ fullPage: true });
      writeFileSync(join(work, 'page.png'), shot);
      const before = await canvas.screenshot();
      const stats = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = 'data:image/png;base64,' + b64;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        const levels = new Set<number>();
        let bright = 0, orange = 0;
        for (let i = 0; i < d.length; i += 4) {
          levels.add(d[i]);
          if (d[i] > 40) bright++;
          if (d[i] > 200 && d[i + 1] > 100 && d[i + 1] < 180 && d[i + 2] < 60) orange++;
        }
        return { width: c.width, height: c.height, levels: levels.size, bright, orange };
      }, before.toString('base64'));
      assert.ok(stats.width >= 100 && stats.height >= 100, `canvas on screen ${stats.width}x${stats.height}`);
      assert.ok(stats.levels > 20, `slice has ${stats.levels} grey levels (blank canvas?)`);
      assert.ok(stats.bright > 50, `only ${stats.bright} bright pixels`);
      assert.ok(stats.orange > 20, `contour line: ${stats.orange} orange pixels`);
      const indexBefore = await canvas.getAttribute('data-index');
      // Drag the slice slider's handle to the left by a third of the track (in the viewport: mouse
      // events only land on what is on screen).
      await slider.scrollIntoViewIfNeeded();
      const handle = slider.locator('.noUi-handle').first();
      const hb = (await handle.boundingBox())!;
      const tb = (await slider.locator('.noUi-target, .slider').first().boundingBox())!;
      await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
      await page.mouse.down();
      await page.mouse.move(hb.x + hb.width / 2 - tb.width / 3, hb.y + hb.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForFunction((old) => document.querySelector('.cryoread-density-slice canvas')?.getAttribute('data-index') !== old, indexBefore, { timeout: 10_000 });
      const indexAfter = await canvas.getAttribute('data-index');
      const readout = await slider.locator('.widget-readout').first().textContent();
      assert.equal(readout?.trim(), indexAfter, 'view shows the slider value');
      assert.ok(Number(indexAfter) < Number(indexBefore), `index ${indexBefore} -> ${indexAfter}`);
      const afterShot = await canvas.screenshot();
      assert.notEqual(createHash('sha256').update(afterShot).digest('hex'), createHash('sha256').update(before).digest('hex'), 'slice image changed');
      writeFileSync(join(work, 'page-after-drag.png'), await page.screenshot({ fullPage: true }));
      assert.deepEqual(errors, []);
    } finally {
      clearTimeout(kill);
      await browser.close();
    }
  });
});
