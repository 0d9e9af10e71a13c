// Starting a real harvest server for the browser tests, on a free port with a small demo
// database of its own, and a browser to drive it: Debian's chromium through playwright-core
// (nothing is downloaded at run time).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
export const BIN = path.resolve(process.env.HARVEST_BIN || path.join(root, 'build', 'harvest'));
export const SHOTS = path.resolve(
  process.env.HARVEST_SCREENSHOTS || path.join(root, 'build', 'browser-screenshots'));
export const CHROMIUM = process.env.HARVEST_CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'a long enough password';

function cli(db, args, input) {
  const run = spawnSync(BIN, ['--db', db, ...args], { input, encoding: 'utf8', timeout: 300000 });
  if (run.status !== 0) {
    throw new Error(`harvest ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  }
  return run.stdout;
}

// A demo country of 500 farmers, one web login per role and an admin key to look things up.
export function makeDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), 'harvest-browser-'));
  const db = path.join(dir, 'harvest.db');
  cli(db, ['demo', '--farmers', '500', '--seed', '7']);
  for (const role of ['police', 'extension', 'partner', 'admin']) {
    cli(db, ['user', 'add', '--login', `${role}-1`, '--role', role], `${PASSWORD}\n`);
  }
  const adminKey = cli(db, ['key', 'create', '--role', 'admin', '--name', 'browser tests'])
    .split('\n')[0].trim();
  return { dir, db, adminKey, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServer(db) {
  const child = spawn(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`harvest serve did not start: ${stderr}`)),
      120000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`harvest serve exited ${code}: ${stderr}`)));
  });
  return {
    base,
    stderr: () => stderr,
    stop: () => new Promise((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    }),
  };
}

// One server on a demo database of its own for a whole test file: made before the file's
// tests, stopped after them (failing the file unless it exits cleanly). `use` is given the
// database and the server once both are ready.
export function serveForTests(use) {
  let data;
  let server;
  before(async () => {
    data = makeDatabase();
    server = await startServer(data.db);
    use(data, server);
  });
  after(async () => {
    const code = await server.stop();
    data.cleanup();
    assert.equal(code, 0, server.stderr());
  });
}

// Logs `login` in through the form at `base`; the status of the POST /login answer (303 when
// it succeeded), once the page it leads to has loaded.
export async function logIn(page, base, login, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Login', { exact: true }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Log in', exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
  return answer.status();
}

// The ink on a chart's canvas: its width, the pixels drawn, and in how many colours (a drawn
// chart has its line and its axes; a blank one has none).
export async function canvasInk(canvas) {
  return canvas.evaluate((c) => {
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    const colours = new Set();
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 0) {
        inked++;
        colours.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
      }
    }
    return { inked, colours: colours.size, width: c.width };
  });
}

// A fresh browser profile each time; `javaScriptEnabled: false` for the no-script runs.
export async function openBrowser({ javaScriptEnabled = true, width = 1280 } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'harvest-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled,
    viewport: { width, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// What an admin sees through the API (books, recorded checks): the public surface, no SQL.
export async function api(server, adminKey, pathAndQuery) {
  const res = await fetch(server.base + pathAndQuery,
    { headers: { Authorization: `Bearer ${adminKey}` } });
  if (res.status !== 200) {
    throw new Error(`${pathAndQuery}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

export async function stolenReceipt(server, adminKey) {
  const books = await api(server, adminKey, '/api/v1/books?status=stolen&limit=1');
  return books.data[0].first_receipt + 7;
}

export async function checksOf(server, adminKey, receipt) {
  const checks = await api(server, adminKey, `/api/v1/verifications?receipt=${receipt}&limit=1000`);
  return checks.data;
}

// The page at 360 px and at 1280 px into the screenshots folder, as NAME-360.png and
// NAME-1280.png; the viewport is put back afterwards.
export async function screenshots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

const axeSource = readFileSync(path.join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// axe-core's serious and critical violations on the page (WCAG 2.1 A and AA rules). The
// source is evaluated by the browser's debugger, so the page's CSP (no inline script) holds.
export async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target).join(', ')}`);
}

// The page, as it is, has no serious or critical axe-core violation and is no wider than
// `width` (a chart redraws for a new width on the resize event: it is given a moment to).
export async function assertAccessibleAndFits(page, name, width = 360) {
  const problems = await seriousViolations(page);
  assert.deepEqual(problems, [], `${name}: ${problems.join('\n')}`);
  await page.waitForFunction((w) => document.documentElement.scrollWidth <= w, width,
    { timeout: 5000 }).catch(() => {});
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= width, `${name} is ${wide} px wide at ${width} px`);
}
