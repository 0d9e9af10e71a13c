// The staff registry pages in a real browser (SPEC §9): an extension officer registers a
// farmer and finds him by search, sells him a book (the next free range proposed), records a
// sale on one receipt; a police officer checks another receipt of the book VALID on /verify;
// the book is reported stolen and the receipt then checks ALERT. A POST without its csrf
// token is refused and changes nothing. Each flow runs with JavaScript on and off; axe-core
// runs on every page; screenshots at 360 px and 1280 px go to the screenshots folder.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  logIn as logInAs, openBrowser, screenshots, assertAccessibleAndFits, serveForTests,
} from './harvest.js';

let data;
let server;
serveForTests((d, s) => {
  data = d;
  server = s;
});

// The admin's view through the API; null for a 404.
async function apiGet(path) {
  const res = await fetch(server.base + path,
    { headers: { Authorization: `Bearer ${data.adminKey}` } });
  if (res.status === 404) {
    return null;
  }
  const body = await res.text();
  assert.equal(res.status, 200, `${path}: ${body}`);
  return JSON.parse(body);
}

async function logIn(page, login) {
  assert.equal(await logInAs(page, server.base, login), 303);
  assert.equal(page.url(), `${server.base}/verify`);
}

// Submits the form by its button and waits for the page that answers: the POST's own
// answer, or the page a 303 leads to.
async function submit(page, button) {
  const answered = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.status() !== 303, { timeout: 60000 });
  await page.getByRole('button', { name: button, exact: true }).click({ timeout: 60000 });
  await answered;
  await page.waitForLoadState('load');
}

async function axe(page, name) {
  await assertAccessibleAndFits(page, name, 1280);
}

// Screenshots, and axe-core when scripts run (it is a script itself).
async function look(page, name, javaScriptEnabled) {
  if (javaScriptEnabled) {
    await axe(page, name);
  }
  await screenshots(page, `registry-${name}-${javaScriptEnabled ? 'js' : 'no-js'}`);
}

async function verdictOf(page, receipt) {
  await page.goto(`${server.base}/verify`);
  await page.getByLabel('Receipt number').fill(String(receipt));
  await submit(page, 'Check');
  return (await page.locator('#verdict').innerText()).split(/\s/)[0];
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'js' : 'no-js';
  const id = javaScriptEnabled ? '950000001' : '950000002';
  const family = javaScriptEnabled ? 'Quillfeather' : 'Quillbrook';

  test(`register a farmer, sell him a book, record a sale, report it stolen (${mode})`,
    async () => {
      const staff = await openBrowser({ javaScriptEnabled });
      const police = await openBrowser({ javaScriptEnabled });
      try {
        const { page } = staff;
        await logIn(page, 'extension-1');
        for (const link of ['Farmers', 'Books', 'Record a sale']) {
          assert.equal(await page.getByRole('link', { name: link, exact: true }).count(), 1);
        }

        // Register: a first try with problems keeps what was typed and names each field.
        await page.goto(`${server.base}/farmers/new`);
        await look(page, 'farmer-new', javaScriptEnabled);
        await page.locator('#id').fill(id);
        await page.locator('#last_name').fill(family);
        await page.locator('#parish').selectOption('KIN');
        await page.locator('#card_expires_on').fill('2031-01-31');
        await page.locator('#verified').selectOption('1');
        await page.locator('#phone').fill('12');
        await submit(page, 'Register');
        assert.match(page.url(), /\/farmers\/new$/);
        assert.equal(await page.locator('#last_name').inputValue(), family);
        assert.equal(await page.locator('#parish').inputValue(), 'KIN');
        const nameProblem = page.locator('#first_name-problem');
        assert.match(await nameProblem.innerText(), /Given name is required/);
        assert.equal(await page.locator('#first_name').getAttribute('aria-describedby'),
          'first_name-problem');
        assert.match(await page.locator('#phone-problem').innerText(), /Mobile phone .*'12'/);
        await look(page, 'farmer-new-problems', javaScriptEnabled);
        assert.equal(await apiGet(`/api/v1/farmers/${id}`), null);

        await page.locator('#first_name').fill('Ezra');
        await page.locator('#phone').fill('876-555-0142');
        await submit(page, 'Register');
        assert.equal(page.url(), `${server.base}/farmers/${id}?done=registered`);
        assert.match(await page.locator('main').innerText(), /The farmer is registered/);
        await look(page, 'farmer-view', javaScriptEnabled);

        // Found by search (a family name's first letters, any case).
        await page.goto(`${server.base}/farmers`);
        await page.getByLabel('Registration number or family name').fill(family.slice(0, 6).toLowerCase());
        await Promise.all([
          page.waitForURL(/\/farmers\?q=/),
          page.getByRole('button', { name: 'Search', exact: true }).click(),
        ]);
        const found = page.getByRole('link', { name: id, exact: true });
        assert.equal(await found.count(), 1);
        await look(page, 'farmers-search', javaScriptEnabled);

        // Edit: one field changed.
        await page.goto(`${server.base}/farmers/${id}/edit`);
        await page.locator('#alias').fill('Ez');
        await submit(page, 'Save');
        assert.equal(page.url(), `${server.base}/farmers/${id}?done=saved`);
        assert.equal((await apiGet(`/api/v1/farmers/${id}`)).alias, 'Ez');

        // Sell him a book: the form proposes the next free serial and receipts.
        await page.getByRole('link', { name: 'Sell this farmer a book' }).click();
        await page.waitForLoadState('load');
        assert.equal(await page.locator('#farmer_id').inputValue(), id);
        const serial = await page.locator('#serial').inputValue();
        const first = Number(await page.locator('#first_receipt').inputValue());
        const last = Number(await page.locator('#last_receipt').inputValue());
        assert.match(serial, /^\d{6}$/);
        assert.equal(last - first, 99);
        const highest = await apiGet('/api/v1/books?sort=-first_receipt&limit=1');
        assert.equal(first, highest.data[0].last_receipt + 1);
        await look(page, 'book-new', javaScriptEnabled);
        await submit(page, 'Sell the book');
        assert.equal(page.url(), `${server.base}/books/${serial}?done=sold`);
        await look(page, 'book-view', javaScriptEnabled);
        assert.equal((await apiGet(`/api/v1/books/${serial}`)).farmer_id, id);

        // Record a sale on its first receipt.
        await page.getByRole('link', { name: 'Record a sale', exact: true }).click();
        await page.waitForLoadState('load');
        await look(page, 'sale-new', javaScriptEnabled);
        await page.locator('#receipt').fill(`#${first}`);
        await page.locator('#commodity').selectOption('yellow yam');
        await page.locator('#quantity').fill('40');
        await page.locator('#unit').selectOption('kg');
        await submit(page, 'Record the sale');
        assert.match(await page.locator('main').innerText(), /The sale is recorded/);
        await look(page, 'sale-recorded', javaScriptEnabled);
        const sale = await apiGet(`/api/v1/sales/${first}`);
        assert.equal(sale.farmer_id, id);
        assert.equal(sale.channel, 'web');
        // The same receipt twice: refused, the form kept.
        await page.locator('#receipt').fill(String(first));
        await page.locator('#commodity').selectOption('yellow yam');
        await page.locator('#quantity').fill('40');
        await page.locator('#unit').selectOption('kg');
        await submit(page, 'Record the sale');
        assert.match(await page.getByRole('alert').innerText(), /already recorded/);
        assert.equal(await page.locator('#quantity').inputValue(), '40');
        await look(page, 'sale-refused', javaScriptEnabled);

        // A police officer checks an unsold receipt of the new book: VALID.
        await logIn(police.page, 'police-1');
        assert.equal(await verdictOf(police.page, first + 5), 'VALID');
        assert.equal(await police.page.getByRole('link', { name: 'Farmers', exact: true }).count(), 0);

        // Reported stolen: the same receipt now checks ALERT.
        await page.goto(`${server.base}/books/${serial}`);
        await submit(page, 'Report stolen');
        assert.equal(page.url(), `${server.base}/books/${serial}?done=reported`);
        assert.match(await page.locator('main').innerText(), /The book is reported/);
        await look(page, 'book-reported', javaScriptEnabled);
        assert.equal((await apiGet(`/api/v1/books/${serial}`)).status, 'stolen');
        assert.equal(await verdictOf(police.page, first + 5), 'ALERT');
        await screenshots(police.page, `registry-alert-${mode}`);

        // The book list finds it by a receipt it holds.
        await page.goto(`${server.base}/books?q=${first + 5}`);
        assert.equal(await page.getByRole('link', { name: serial, exact: true }).count(), 1);
        await look(page, 'books-search', javaScriptEnabled);
      } finally {
        await staff.close();
        await police.close();
      }
    });

  test(`a registry POST without its csrf token is refused and changes nothing (${mode})`,
    async () => {
      const browser = await openBrowser({ javaScriptEnabled });
      try {
        const { page, context } = browser;
        await logIn(page, 'extension-1');
        const stripped = javaScriptEnabled ? '950000011' : '950000012';
        await page.route(`${server.base}/farmers/new`, async (route) => {
          if (route.request().method() !== 'POST') {
            return route.continue();
          }
          const form = new URLSearchParams(route.request().postData());
          form.delete('csrf');
          return route.continue({ postData: form.toString() });
        });
        await page.goto(`${server.base}/farmers/new`);
        await page.locator('#id').fill(stripped);
        await page.locator('#first_name').fill('No');
        await page.locator('#last_name').fill('Token');
        await page.locator('#parish').selectOption('MAN');
        const [refused] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.getByRole('button', { name: 'Register', exact: true }).click(),
        ]);
        assert.equal(refused.status(), 403);
        await page.waitForLoadState('load');
        assert.match(await page.locator('main').innerText(), /form has expired/);
        await look(page, 'csrf-refused', javaScriptEnabled);
        assert.equal(await apiGet(`/api/v1/farmers/${stripped}`), null);
        // A stolen report, a sale and a book with a wrong token, from outside any form.
        const books = await apiGet('/api/v1/books?status=active&limit=1');
        const book = books.data[0];
        for (const [path, form] of [
          [`/books/${book.serial}/report`, { status: 'stolen', csrf: 'f'.repeat(64) }],
          ['/sales/new', { receipt: String(book.first_receipt + 1), commodity: 'yellow yam',
            quantity: '1', unit: 'kg' }],
          ['/books/new', { serial: '990001', first_receipt: '99900001',
            last_receipt: '99900100', farmer_id: book.farmer_id }],
        ]) {
          const res = await context.request.post(server.base + path, { form, maxRedirects: 0 });
          assert.equal(res.status(), 403, path);
        }
        assert.equal((await apiGet(`/api/v1/books/${book.serial}`)).status, 'active');
        assert.equal(await apiGet(`/api/v1/sales/${book.first_receipt + 1}`), null);
        assert.equal(await apiGet('/api/v1/books/990001'), null);
      } finally {
        await browser.close();
      }
    });
}

test('refusals: police may not register (403); nobody logged in goes to /login', async () => {
  const browser = await openBrowser({ javaScriptEnabled: true, width: 360 });
  try {
    const { page } = browser;
    const res = await page.goto(`${server.base}/farmers/new`);
    assert.equal(page.url(), `${server.base}/login?next=%2Ffarmers%2Fnew`);
    assert.equal(res.status(), 200);
    await logIn(page, 'police-1');
    for (const path of ['/farmers', '/farmers/new', '/books', '/books/new', '/sales/new']) {
      const answer = await page.goto(server.base + path);
      assert.equal(answer.status(), 403, path);
    }
    await axe(page, 'forbidden');
    await screenshots(page, 'registry-forbidden');
  } finally {
    await browser.close();
  }
});

test('the registry pages fit 360 px and pass axe-core', async () => {
  const browser = await openBrowser({ javaScriptEnabled: true, width: 360 });
  try {
    const { page } = browser;
    await logIn(page, 'extension-1');
    const books = await apiGet('/api/v1/books?limit=1');
    const farmer = books.data[0].farmer_id;
    for (const path of ['/farmers', '/farmers?parish=KIN', `/farmers/${farmer}`,
      `/farmers/${farmer}/edit`, '/books', '/books?status=stolen', `/books/${books.data[0].serial}`,
      '/books/new', '/sales/new']) {
      await page.goto(server.base + path);
      await assertAccessibleAndFits(page, path);
    }
  } finally {
    await browser.close();
  }
});
