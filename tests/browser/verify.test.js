// The staff pages in a real browser (SPEC §9): log in, check a stolen receipt and get the
// ALERT card, a POST without its csrf token refused with nothing recorded — each with
// JavaScript on and off — and axe-core on every page. Screenshots at 360 px and 1280 px go to
// the screenshots folder (build/browser-screenshots unless HARVEST_SCREENSHOTS says).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  checksOf, logIn as logInAs, openBrowser, screenshots, assertAccessibleAndFits, serveForTests, stolenReceipt,
} from './harvest.js';

let data;
let server;
serveForTests((d, s) => {
  data = d;
  server = s;
});

async function logIn(page, login) {
  assert.equal(await logInAs(page, server.base, login), 303);
  assert.equal(page.url(), `${server.base}/verify`);
}

async function check(page, receipt) {
  await page.getByLabel('Receipt number').fill(String(receipt));
  await Promise.all([
    page.waitForResponse((r) => r.url() === `${server.base}/verify`
      && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check', exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
}

// Messages the browser prints when the page breaks its own CSP (an inline script or style).
function watchCsp(page) {
  const broken = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) {
      broken.push(message.text());
    }
  });
  return broken;
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'no-js';

  test(`log in and check a stolen receipt: an ALERT card, recorded as web (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      const cspBroken = watchCsp(page);
      await logIn(page, 'police-1');
      await screenshots(page, `verify-form-${mode}`);
      const receipt = await stolenReceipt(server, data.adminKey);
      const before = await checksOf(server, data.adminKey, receipt);
      await check(page, receipt);
      const verdict = page.locator('#verdict');
      assert.match(await verdict.innerText(), /^ALERT/);
      assert.equal(await verdict.getAttribute('class'), 'verdict v-ALERT');
      assert.match(await page.locator('ul.signals').innerText(), /reported stolen/);
      assert.match(await page.locator('section.card').innerText(), /Registration number/);
      await screenshots(page, `verdict-alert-${mode}`);
      const after = await checksOf(server, data.adminKey, receipt);
      assert.equal(after.length, before.length + 1);
      assert.equal(after.at(-1).channel, 'web');
      assert.equal(after.at(-1).verdict, 'ALERT');
      assert.deepEqual(cspBroken, []);
    } finally {
      await browser.close();
    }
  });

  test(`a POST without its csrf token is refused and changes nothing (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page, context } = browser;
      await logIn(page, 'police-1');
      const receipt = await stolenReceipt(server, data.adminKey);
      const before = await checksOf(server, data.adminKey, receipt);
      // The real form, its csrf field taken out on the way (no script needed for that).
      await page.route(`${server.base}/verify`, async (route) => {
        if (route.request().method() !== 'POST') {
          return route.continue();
        }
        const form = new URLSearchParams(route.request().postData());
        form.delete('csrf');
        return route.continue({ postData: form.toString() });
      });
      await page.getByLabel('Receipt number').fill(String(receipt));
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Check', exact: true }).click(),
      ]);
      assert.equal(refused.status(), 403);
      await page.waitForLoadState('load');
      assert.match(await page.locator('main').innerText(), /form has expired/);
      await screenshots(page, `csrf-refused-${mode}`);
      await page.unroute(`${server.base}/verify`);
      // With the session's cookie but a wrong or missing token, from outside any form.
      for (const form of [{ receipt: String(receipt) },
        { receipt: String(receipt), csrf: 'f'.repeat(64) }]) {
        const res = await context.request.post(`${server.base}/verify`, { form, maxRedirects: 0 });
        assert.equal(res.status(), 403);
      }
      assert.deepEqual(await checksOf(server, data.adminKey, receipt), before);
    } finally {
      await browser.close();
    }
  });
}

test('axe-core finds no serious or critical violation, and the pages fit 360 px', async () => {
  const browser = await openBrowser({ javaScriptEnabled: true, width: 360 });
  try {
    const { page } = browser;
    const visit = async (name) => {
      await assertAccessibleAndFits(page, name);
      await screenshots(page, `axe-${name}`);
    };
    await page.goto(`${server.base}/login`);
    await visit('login');
    await logIn(page, 'extension-1');
    await visit('verify');
    await check(page, await stolenReceipt(server, data.adminKey));
    await visit('verdict');
    await check(page, 'not a number');
    await visit('verify-problem');
    await page.goto(`${server.base}/nowhere`);
    await visit('not-found');
    await page.goto(`${server.base}/verify`);
    await Promise.all([
      page.waitForURL(`${server.base}/login?out=1`),
      page.getByRole('button', { name: 'Log out', exact: true }).click(),
    ]);
    await visit('logged-out');
    await logIn(page, 'partner-1');  // lands on /verify, which partners may not see
    await visit('forbidden');
  } finally {
    await browser.close();
  }
});

test('the verify page and its verdict are under 50 KB transferred', async () => {
  const browser = await openBrowser({ javaScriptEnabled: false, width: 360 });
  try {
    const { page } = browser;
    await logIn(page, 'police-1');
    let bytes = 0;
    page.on('response', async (response) => {
      const body = await response.body().catch(() => Buffer.alloc(0));
      bytes += body.length;
    });
    await page.reload();
    await check(page, await stolenReceipt(server, data.adminKey));
    await page.waitForTimeout(200);
    assert.ok(bytes > 1000 && bytes < 50 * 1024, `transferred ${bytes} bytes`);
  } finally {
    await browser.close();
  }
});
