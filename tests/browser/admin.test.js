// /admin and /checks in a real browser (SPEC §3, §9): an admin creates an API key (its secret
// shown once, then it opens the API) and revokes it (then it is refused); adds a web login
// that can then log in, and disables it (then it cannot); filters the audit log, whose CSV
// link gives exactly the rows shown. A police login sees /checks but gets 403 on /admin; a
// POST without its csrf token is refused and changes nothing. Each flow with JavaScript on
// and off; axe-core on every page; screenshots at 360 px and 1280 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  PASSWORD, canvasInk, logIn as logInAs, openBrowser, screenshots, assertAccessibleAndFits,
  serveForTests, stolenReceipt,
} from './harvest.js';

let data;
let server;
serveForTests((d, s) => {
  data = d;
  server = s;
});

function logIn(page, login, password) {
  return logInAs(page, server.base, login, password);
}

// Clicks a submit button and waits for the page its form leads to.
async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), button.click()]);
}

async function verifyWithKey(key, receipt, query = '') {
  const res = await fetch(`${server.base}/api/v1/verify/receipt/${receipt}${query}`,
    { headers: { Authorization: `Bearer ${key}` } });
  return res.status;
}


function parseCsv(text) {
  const [header, ...lines] = text.trim().split('\r\n').length > 1
    ? text.trim().split('\r\n') : text.trim().split('\n');
  const names = header.split(',');
  return lines.filter((l) => l).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
  });
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'no-js';

  test(`a key is shown once, opens the API, and is refused once revoked (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      assert.equal(await logIn(page, 'admin-1'), 303);
      await page.goto(`${server.base}/admin`);
      await screenshots(page, `admin-${mode}`);
      await submit(page, page.getByRole('link', { name: 'API keys' }));
      await page.getByLabel('Name', { exact: true }).fill(`Clarendon police ${mode}`);
      await page.getByLabel('Role').selectOption('police');
      await screenshots(page, `admin-keys-${mode}`);
      await submit(page, page.getByRole('button', { name: 'Create key' }));
      const secret = (await page.locator('#secret').innerText()).trim();
      assert.match(secret, /^hv_[a-z0-9]{32}$/);
      await screenshots(page, `admin-key-created-${mode}`);
      const receipt = await stolenReceipt(server, data.adminKey);
      assert.equal(await verifyWithKey(secret, receipt), 200);
      await page.goto(`${server.base}/admin/keys`);
      assert.ok(!(await page.content()).includes(secret), 'the secret is shown only once');
      const row = page.locator('tr', { hasText: `Clarendon police ${mode}` });
      await submit(page, row.getByRole('button', { name: /^Revoke/ }));
      assert.equal(page.url(), `${server.base}/admin/keys?done=revoked`);
      assert.match(await page.locator('[role=status]').innerText(), /revoked/);
      assert.match(await row.innerText(), /Revoked/);
      assert.equal(await verifyWithKey(secret, receipt), 401);
    } finally {
      await browser.close();
    }
  });

  test(`a web login added by an admin logs in until disabled (${mode})`, async () => {
    const admin = await openBrowser({ javaScriptEnabled });
    const newcomer = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = admin;
      await logIn(page, 'admin-1');
      await page.goto(`${server.base}/admin/users`);
      const login = `clerk-${mode}`;
      await page.getByLabel('Login', { exact: true }).fill(login);
      await page.getByLabel('Role').selectOption('extension');
      await page.getByLabel('Initial password').fill(PASSWORD);
      await submit(page, page.getByRole('button', { name: 'Add login' }));
      assert.equal(page.url(), `${server.base}/admin/users?done=added`);
      await screenshots(page, `admin-users-${mode}`);
      assert.equal(await logIn(newcomer.page, login), 303);
      assert.equal(newcomer.page.url(), `${server.base}/verify`);
      const row = page.locator(`tr[data-login="${login}"]`);
      await submit(page, row.getByRole('button', { name: /^Disable/ }));
      assert.match(await row.innerText(), /Disabled/);
      // Its session has ended, and it can no longer log in.
      await newcomer.page.goto(`${server.base}/verify`);
      assert.match(newcomer.page.url(), /\/login\?next=/);
      assert.equal(await logIn(newcomer.page, login), 401);
    } finally {
      await admin.close();
      await newcomer.close();
    }
  });

  test(`the audit log filtered: its CSV link gives exactly the rows shown (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page, context } = browser;
      await logIn(page, 'admin-1');
      await page.goto(`${server.base}/admin/audit`);
      await page.getByLabel('Actor').fill('user:admin-1');
      await page.getByLabel('Action').selectOption('create');
      await submit(page, page.getByRole('button', { name: 'Filter', exact: true }));
      assert.match(page.url(), /actor=user%3Aadmin-1/);
      await screenshots(page, `admin-audit-${mode}`);
      const shown = await page.locator('#audit tbody tr').evaluateAll(
        (rows) => rows.map((r) => r.getAttribute('data-id')));
      assert.ok(shown.length > 0);
      for (const cells of await page.locator('#audit tbody tr').allInnerTexts()) {
        assert.match(cells, /user:admin-1/);
        assert.match(cells, /create/);
      }
      const href = await page.locator('#csv-page').getAttribute('href');
      const csv = await (await context.request.get(`${server.base}${href}`)).text();
      assert.deepEqual(parseCsv(csv).map((r) => r.id), shown);
      // A bad bound is named beside its field, and what was typed stays.
      await page.getByLabel('From').fill('last tuesday');
      await submit(page, page.getByRole('button', { name: 'Filter', exact: true }));
      assert.match(await page.locator('#at__gte-problem').innerText(), /last tuesday/);
      assert.equal(await page.getByLabel('Actor').inputValue(), 'user:admin-1');
    } finally {
      await browser.close();
    }
  });

  test(`police see /checks and get 403 on /admin (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page } = browser;
      // Two checks in Kingston, so the day, the verdict and the parish have something to show.
      const receipt = await stolenReceipt(server, data.adminKey);
      assert.equal(await verifyWithKey(data.adminKey, receipt, '?parish=KIN'), 200);
      assert.equal(await verifyWithKey(data.adminKey, receipt + 1, '?parish=KIN'), 200);
      await logIn(page, 'police-1');
      const checks = await page.goto(`${server.base}/checks`);
      assert.equal(checks.status(), 200);
      assert.ok(await page.locator('#days tbody tr').count() >= 1);
      assert.ok(await page.locator('#parishes tbody tr[data-parish="KIN"]').count() === 1);
      if (javaScriptEnabled) {
        // The chart of checks per day is drawn (its canvas has ink) and the map has a circle.
        const canvas = page.locator('#days-chart.drawn canvas');
        await canvas.waitFor();
        const ink = await canvasInk(canvas);
        assert.ok(ink.inked > 500 && ink.colours > 1, JSON.stringify(ink));
        await page.locator('#parish-checks-map.drawn').waitFor();
        assert.ok(await page.locator('#parish-checks-map path.leaflet-interactive').count() >= 1);
      } else {
        // The figures are in the tables' data- attributes; with no script nothing draws them.
        assert.equal(await page.locator('table#days[data-series]').count(), 1);
        assert.equal(await page.locator('table#parishes[data-places]').count(), 1);
        assert.equal(await page.locator('#days-chart').count(), 0);
        assert.equal(await page.locator('#parish-checks-map').count(), 0);
      }
      await screenshots(page, `checks-${mode}`);
      await page.getByLabel('Verdict', { exact: true }).selectOption('ALERT');
      await submit(page, page.getByRole('button', { name: 'Filter', exact: true }));
      assert.match(page.url(), /verdict=ALERT/);
      const forbidden = await page.goto(`${server.base}/admin`);
      assert.equal(forbidden.status(), 403);
      assert.equal(await page.locator('a[href="/admin"]').count(), 0);
    } finally {
      await browser.close();
    }
  });

  test(`an admin POST without its csrf token is refused and changes nothing (${mode})`, async () => {
    const browser = await openBrowser({ javaScriptEnabled });
    try {
      const { page, context } = browser;
      await logIn(page, 'admin-1');
      await page.goto(`${server.base}/admin/users`);
      await page.route(`${server.base}/admin/users`, async (route) => {
        if (route.request().method() !== 'POST') {
          return route.continue();
        }
        const form = new URLSearchParams(route.request().postData());
        form.delete('csrf');
        return route.continue({ postData: form.toString() });
      });
      const login = `forged-${mode}`;
      await page.getByLabel('Login', { exact: true }).fill(login);
      await page.getByLabel('Role').selectOption('admin');
      await page.getByLabel('Initial password').fill(PASSWORD);
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Add login' }).click(),
      ]);
      assert.equal(refused.status(), 403);
      await page.waitForLoadState('load');
      assert.match(await page.locator('main').innerText(), /form has expired/);
      await page.unroute(`${server.base}/admin/users`);
      for (const form of [{ name: login, role: 'admin' },
        { name: login, role: 'admin', csrf: 'f'.repeat(64) }]) {
        const res = await context.request.post(`${server.base}/admin/keys`,
          { form, maxRedirects: 0 });
        assert.equal(res.status(), 403);
      }
      await page.goto(`${server.base}/admin/users`);
      assert.equal(await page.locator(`tr[data-login="${login}"]`).count(), 0);
      await page.goto(`${server.base}/admin/keys`);
      assert.equal(await page.locator('tr', { hasText: login }).count(), 0);
    } finally {
      await browser.close();
    }
  });
}

test('axe-core finds no serious or critical violation on /admin and /checks, at 360 px', async () => {
  const browser = await openBrowser({ javaScriptEnabled: true, width: 360 });
  try {
    const { page } = browser;
    const visit = async (name, path) => {
      if (path) {
        await page.goto(`${server.base}${path}`);
      }
      await assertAccessibleAndFits(page, name);
      await screenshots(page, `axe-${name}`);
    };
    await logIn(page, 'admin-1');
    await visit('admin', '/admin');
    await visit('admin-keys', '/admin/keys');
    await page.getByLabel('Name', { exact: true }).fill('   ');
    await page.getByLabel('Role').selectOption('partner');
    await submit(page, page.getByRole('button', { name: 'Create key' }));
    await visit('admin-keys-problem');  // a blank name: the form again, the problem named
    await page.getByLabel('Name', { exact: true }).fill('axe');
    await submit(page, page.getByRole('button', { name: 'Create key' }));
    await visit('admin-key-created');
    await visit('admin-users', '/admin/users');
    await visit('admin-officers', '/admin/officers');
    await page.getByLabel('Phone').fill('12');
    await page.getByLabel('Badge').fill('JCF-1');
    await page.getByLabel('Station').fill('Spanish Town');
    await page.getByLabel('Parish').selectOption('CAT');
    await submit(page, page.getByRole('button', { name: 'Add officer' }));
    await visit('admin-officers-problem');
    await page.getByLabel('Phone').fill('876-555-0188');
    await submit(page, page.getByRole('button', { name: 'Add officer' }));
    assert.match(await page.locator('[role=status]').innerText(), /may now check/);
    await visit('admin-officers-added');
    await visit('admin-audit', '/admin/audit');
    await visit('admin-audit-problem', '/admin/audit?at__lt=soon');
    await visit('checks', '/checks');
    await visit('checks-problem', '/checks?parish=Atlantis');
  } finally {
    await browser.close();
  }
});
