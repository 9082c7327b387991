/**
 * Live round trip in a real browser: Debian's Jupyter Server (python3-jupyter-server) started on
 * 127.0.0.1 with our kernelspec, a page served by that server with @jupyterlab/services +
 * @jupyter-widgets/html-manager (test/e2e/live/live-page.ts, bundled here by esbuild) and headless
 * Chromium. A ThresholdTuner is created by a cell; moving its sugar-threshold slider in Chromium
 * changes the kernel-side `tuner.params` (and the kernel's debounced recount comes back to the
 * view), and a value set in the kernel (`tuner.set('index', 3)`) re-renders the view.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LAUNCHER } from '../kernel-ext/kernel-client.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/widget-page.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const REQUIRED = process.env.CI === 'true' || process.env.CRYOREAD_REQUIRE_SHARED === '1';

function skipOrFail(t: TestContext, why: string): void {
  if (REQUIRED) assert.fail(`${why} (CI installs it through .ci/run)`);
  t.skip(why);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const CELL = `
import { Volume } from './src/grid/volume.js';
import { ProbabilityMaps } from './src/grid/probability-maps.js';
import { ThresholdTuner } from './kernel-ext/src/index.js';
const frame = { shape: [12, 16, 20] as [number, number, number], voxelSizeA: [1, 1, 1] as [number, number, number], originA: [0, 0, 0] as [number, number, number] };
const density = Volume.create(frame);
const sugar = new Float32Array(12 * 16 * 20);
for (let z = 0; z < 12; z++) for (let y = 0; y < 16; y++) for (let x = 0; x < 20; x++) {
  const o = (z * 16 + y) * 20 + x;
  density.data[o] = Math.exp(-((x - 10) ** 2 + (y - 8) ** 2 + (z - 6) ** 2) / 18);
  sugar[o] = x / 19;
}
const tuner = new ThresholdTuner(density, ProbabilityMaps.create(frame, { sugar }), { debounceMs: 50, subBoxA: 0, contour: 0.05 });
tuner.display();
`;

describe('live widget round trip through Jupyter Server', { timeout: 300_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'cryoread-live-'));
  const token = randomBytes(12).toString('hex');
  let server: ChildProcess | null = null;
  let pages: Server | null = null;
  let browser: Browser | null = null;
  let page: Page | null = null;
  let base = '';
  let why = '';
  const errors: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) { why = `${CHROMIUM} missing`; return; }
    if (spawnSync(PYTHON, ['-c', 'import jupyter_server'], { timeout: 30_000 }).status !== 0) { why = `${PYTHON} has no jupyter_server (Debian python3-jupyter-server)`; return; }
    const prefix = join(work, 'prefix');
    const r = spawnSync(process.execPath, [LAUNCHER, 'install', '--prefix', prefix, '--json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(import.meta.dirname, 'live', 'live-page.ts')], outfile: join(work, 'live.js'), bundle: true, format: 'iife', target: 'es2020',
      define: { define: 'undefined', 'process.env.NODE_ENV': '"production"' }, banner: { js: 'var __webpack_public_path__ = "";' },
      loader: { '.css': 'empty', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.eot': 'empty', '.svg': 'empty' }, logLevel: 'warning',
    });
    writeFileSync(join(work, 'live.html'), '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script src="live.js"></script></body></html>');
    const port = await freePort();
    base = `http://127.0.0.1:${port}/`;
    const env = { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(work, 'data'), JUPYTER_RUNTIME_DIR: join(work, 'runtime'), JUPYTER_CONFIG_DIR: join(work, 'config'), PYTHONNOUSERSITE: '1', CRYOREAD_KERNEL_ROOT: ROOT };
    // The page is served from a port of its own (Jupyter's /files/ sandboxes HTML), so the server
    // allows that origin (CORS and the websocket origin check).
    const pagePort = await freePort();
    pages = createHttpServer((req, res) => {
      const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '');
      if (!['live.html', 'live.js'].includes(name)) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'Content-Type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(readFileSync(join(work, name)));
    }).listen(pagePort, '127.0.0.1');
    server = spawn(PYTHON, ['-m', 'jupyter_server', '--no-browser', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', `--ServerApp.token=${token}`, `--ServerApp.root_dir=${work}`, `--ServerApp.allow_origin=http://127.0.0.1:${pagePort}`, ...(process.getuid?.() === 0 ? ['--allow-root'] : [])], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    server.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}api/status?token=${token}`)).ok) break;
      } catch { /* not up yet */ }
      if (i > 120 || server.exitCode !== null) throw new Error(`jupyter server did not start:\n${log.slice(-2000)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, timeout: 60_000, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${pagePort}/live.html`, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(() => document.documentElement.dataset.liveReady === 'true', undefined, { timeout: 30_000 })
      .catch((e: Error) => { throw new Error(`${e.message}; page errors: ${errors.join(' | ')}; server log: ${log.slice(-1500)}`); });
    await page.evaluate(([u, t]) => (window as unknown as { cryoread: { connect(u: string, t: string): Promise<string> } }).cryoread.connect(u, t), [base, token]);
  });
  after(async () => {
    await browser?.close();
    pages?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((res) => { const k = setTimeout(() => { server!.kill('SIGKILL'); res(null); }, 10_000); server!.once('exit', () => { clearTimeout(k); res(null); }); });
    }
    rmSync(work, { recursive: true, force: true });
  });

  const run = (code: string) => page!.evaluate((c) => (window as unknown as { cryoread: { run(c: string): Promise<{ status: string; stdout: string; stderr: string; views: number }> } }).cryoread.run(c), code);

  it('a slider moved in Chromium changes kernel state; a value set in the kernel re-renders the view', async (t) => {
    if (!page) return skipOrFail(t, why);
    const r = await run(CELL);
    assert.equal(r.status, 'ok', r.stderr);
    assert.equal(r.views, 1);
    const root = page.locator('.cryoread-threshold-tuner');
    await root.waitFor({ timeout: 30_000 });
    // Browser -> kernel.
    await root.locator('input[data-key="sugar_threshold"]').evaluate((el: HTMLInputElement) => { el.value = '0.6'; el.dispatchEvent(new Event('input')); });
    let seen = '';
    for (let i = 0; i < 50 && seen !== '0.6'; i++) {
      seen = (await run('console.log(tuner.params.cluster.sugarThreshold)')).stdout.trim();
      if (seen !== '0.6') await page.waitForTimeout(200);
    }
    assert.equal(seen, '0.6', 'kernel-side tuner.params follows the slider');
    // The kernel's debounced recount reaches the view: voxels with x/19 > 0.6 inside the contour, no others.
    await page.waitForFunction(() => /kernel \(full grid\): sugar \d+/.test(document.querySelector('.cryoread-counts')?.textContent ?? ''), undefined, { timeout: 30_000 });
    const k = JSON.parse((await run('console.log(JSON.stringify(tuner.counts))')).stdout) as { sugarVoxels: number };
    assert.match(await root.locator('.cryoread-counts').textContent() ?? '', new RegExp(`kernel \\(full grid\\): sugar ${k.sugarVoxels},`));
    // Kernel -> browser.
    assert.match(await root.textContent() ?? '', /z = 6 \/ 11/);
    assert.equal((await run(`tuner.set('index', 3); console.log(tuner.get('index'))`)).stdout.trim(), '3');
    await page.waitForFunction(() => /z = 3 \/ 11/.test(document.querySelector('.cryoread-threshold-tuner')?.textContent ?? ''), undefined, { timeout: 30_000 });
    assert.equal(await root.locator('input[data-key="index"]').inputValue(), '3');
  });
});
