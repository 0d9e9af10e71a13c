// The public portal in a real browser (SPEC §9): the prices chart draws (its canvas has
// pixels), the parish map draws with nothing fetched from elsewhere, a table page's CSV link
// gives exactly the rows shown, facet counts match the rows they lead to, the filter form
// works — with JavaScript on and off — and axe-core finds no serious or critical violation on
// any public page. Screenshots at 360 px and 1280 px of each page.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  canvasInk, openBrowser, screenshots, assertAccessibleAndFits, serveForTests,
} from './harvest.js';

let data;
let server;
serveForTests((d, s) => {
  data = d;
  server = s;
});

// Requests to anywhere but the server, and CSP complaints, as the page makes them.
function watch(page) {
  const seen = { elsewhere: [], csp: [] };
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(server.base) && !url.startsWith('data:')) {
      seen.elsewhere.push(url);
    }
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) {
      seen.csp.push(message.text());
    }
  });
  return seen;
}

// The first table's header and rows as text. Through locators, not page.evaluate, which
// needs the page's own JavaScript (off in the no-js runs).
async function tableRows(page) {
  const table = page.locator('table.rows').first();
  const head = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const rows = [];
  for (const tr of await table.locator('tbody tr').all()) {
    rows.push(await tr.locator('td, th').allTextContents());
  }
  return { head, rows };
}

// RFC 4180 as the server writes it (quoted fields may hold commas and quotes).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r') {
      // part of the line break
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  return rows;
}

async function fetchText(href) {
  const res = await fetch(new URL(href, server.base));
  assert.equal(res.status, 200, href);
  return res.text();
}

async function samplePrice() {
  const res = await fetch(`${server.base}/api/v1/prices?limit=1`);
  return (await res.json()).data[0];
}

const PUBLIC_PAGES = [
  ['home', '/'],
  ['prices', '/prices'],
  ['stats', '/stats'],
  ['data', '/data'],
  ['data-prices', '/data/prices?sort=week_of&limit=20'],
  ['data-production', '/data/production'],
  ['data-parishes', '/data/parishes'],
  ['data-bad-filter', '/data/prices?colour=red', 400],  // the page naming the bad filter
];

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'no-js';

  test(`every public page: ${javaScriptEnabled ? 'no serious axe violation, 360 px wide, ' : ''}nothing from elsewhere (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      const seen = watch(page);
      for (const [name, path, status = 200] of PUBLIC_PAGES) {
        const answer = await page.goto(server.base + path);
        assert.equal(answer.status(), status, path);
        await page.waitForLoadState('load');
        if (javaScriptEnabled && name === 'stats') {
          await page.locator('#parish-map.drawn').waitFor();
        }
        if (javaScriptEnabled && name === 'prices') {
          await page.locator('#price-chart canvas').waitFor();
        }
        if (javaScriptEnabled) {
          // axe runs as a script in the page: with JavaScript on only (the no-js runs show
          // the same server-rendered markup, without what the scripts add).
          await page.setViewportSize({ width: 360, height: 800 });
          await assertAccessibleAndFits(page, path);
          await page.setViewportSize({ width: 1280, height: 800 });
        }
        await screenshots(page, `public-${name}-${mode}`);
      }
      assert.deepEqual(seen.elsewhere, []);
      assert.deepEqual(seen.csp, []);
    } finally {
      await browser.close();
    }
  });

  test(`a table page's CSV link gives exactly the rows shown (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      const sample = await samplePrice();
      await page.goto(`${server.base}/data/prices?commodity=${encodeURIComponent(sample.commodity)}`
        + '&sort=week_of&limit=20');
      // The second page, so the cursor is part of the selection too.
      await Promise.all([page.waitForURL(/cursor=/), page.getByRole('link', { name: 'Next page' }).click()]);
      const shown = await tableRows(page);
      assert.equal(shown.rows.length, 20);
      const csv = parseCsv(await fetchText(await page.locator('a[data-format=page-csv]').getAttribute('href')));
      assert.deepEqual(csv[0], shown.head);
      assert.deepEqual(csv.slice(1), shown.rows);
      const json = JSON.parse(await fetchText(await page.locator('a[data-format=page-json]').getAttribute('href')));
      const ids = shown.rows.map((row) => row[shown.head.indexOf('id')]);
      assert.deepEqual(json.data.map((row) => String(row.id)), ids);
    } finally {
      await browser.close();
    }
  });

  test(`facet counts match the rows they lead to; the filter form works (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      const sample = await samplePrice();
      await page.goto(`${server.base}/data/prices?commodity=${encodeURIComponent(sample.commodity)}`);
      const facet = page.locator('ul[data-facet=parish] li').first();
      const count = Number(await facet.locator('.count').innerText());
      const parish = await facet.locator('a').getAttribute('data-value');
      await Promise.all([page.waitForURL(new RegExp(`parish=${parish}`)), facet.locator('a').click()]);
      assert.equal(Number(await page.locator('[data-total]').innerText()), count);
      const shown = await tableRows(page);
      assert.equal(shown.rows.length, Math.min(count, 100));
      const column = shown.head.indexOf('parish');
      assert.ok(shown.rows.every((row) => row[column] === parish));

      // The form: another parish, sorted by week descending; its empty choices are dropped.
      await page.getByLabel('parish', { exact: true }).selectOption(sample.parish);
      await page.getByLabel('Sort by').selectOption('-week_of');
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('parish') === sample.parish),
        page.getByRole('button', { name: 'Apply' }).click(),
      ]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('sort'), '-week_of');
      assert.ok(![...url.searchParams.values()].includes(''), url.search);
      const after = await tableRows(page);
      const weeks = after.rows.map((row) => row[after.head.indexOf('week_of')]);
      assert.deepEqual(weeks, [...weeks].sort().reverse());
      assert.ok(after.rows.every((row) => row[column] === sample.parish));
    } finally {
      await browser.close();
    }
  });

  test(`the prices page: chart, table and CSV of the same choice (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      const sample = await samplePrice();
      await page.goto(`${server.base}/prices`);
      await page.getByLabel('Commodity').selectOption(sample.commodity);
      await Promise.all([page.waitForURL(/commodity=/), page.getByRole('button', { name: 'Show' }).click()]);
      const shown = await tableRows(page);
      assert.ok(shown.rows.length > 10);
      const csv = parseCsv(await fetchText(await page.locator('a[data-format=prices-csv]').getAttribute('href')));
      const header = csv[0];
      const columns = ['week_of', 'price', 'unit', 'market', 'variety'].map((c) => header.indexOf(c));
      assert.deepEqual(csv.slice(1).map((row) => columns.map((i) => row[i])), shown.rows);
      if (javaScriptEnabled) {
        const canvas = page.locator('#price-chart canvas');
        await canvas.waitFor();
        // Not blank: enough pixels drawn, in more than one colour (the line and the axes).
        const drawn = await canvasInk(canvas);
        assert.ok(drawn.width > 200, JSON.stringify(drawn));
        assert.ok(drawn.inked > 500, JSON.stringify(drawn));
        assert.ok(drawn.colours > 1, JSON.stringify(drawn));
      } else {
        // The chart's element and its data are there; with no script, nothing draws them.
        assert.equal(await page.locator('#price-chart[data-chart]').count(), 1);
        assert.equal(await page.locator('#price-chart canvas').count(), 0);
      }
      await screenshots(page, `public-prices-choice-${mode}`);
    } finally {
      await browser.close();
    }
  });

  test(`the stats map draws the 14 parishes; the table holds their figures (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      const seen = watch(page);
      await page.goto(`${server.base}/stats`);
      const shown = await tableRows(page);
      assert.equal(shown.rows.length, 14);
      if (javaScriptEnabled) {
        await page.locator('#parish-map.drawn').waitFor();
        assert.equal(await page.locator('#map-controls').isVisible(), true);
        assert.equal(await page.locator('#parish-map path.leaflet-interactive').count(), 14);
        await page.getByRole('button', { name: 'Expected production (kg)' }).click();
        assert.equal(await page.getByRole('button', { name: 'Expected production (kg)' })
          .getAttribute('aria-pressed'), 'true');
        assert.equal(await page.locator('#parish-map path.leaflet-interactive').count(), 14);
      } else {
        // Without JavaScript no empty map and no buttons that do nothing: the table is the page.
        assert.equal(await page.locator('#map-figure[hidden]').count(), 1);
        assert.equal(await page.locator('#map-figure').isVisible(), false);
        assert.equal(await page.locator('#map-controls').isVisible(), false);
      }
      assert.deepEqual(seen.elsewhere, []);
    } finally {
      await browser.close();
    }
  });
}
