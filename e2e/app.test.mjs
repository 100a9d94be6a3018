// Browser tests of the web app, on a release build served from dist/ (see scripts/test-web.sh).
// Usage: node e2e/app.test.mjs URL
// Needs playwright-core (e2e/package.json) and Debian's chromium. Screenshots go to e2e/artifacts/.
// The last line printed is "N passed, M failed"; the exit status is 1 when a test failed.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

const url = process.argv[2] ?? 'http://127.0.0.1:8080/';
const origin = new URL(url).origin;
const T = 30_000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic',
  ],
});

// Every page is watched: console errors, page errors and requests to other origins fail the run.
const problems = [];
const metrics = {};
function watch(page, label) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e}`));
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) problems.push(`${label}: request to another origin: ${u}`);
  });
  return page;
}

async function newPage(context, label, options = {}) {
  const ctx = context ?? await browser.newContext(options);
  return watch(await ctx.newPage(), label);
}

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${String(e.stack ?? e).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

const $ = (id) => `[data-testid="${id}"]`;

async function settled(page) {
  await page.waitForSelector(`${$('app')}[data-pending="false"]`, { timeout: T });
}

async function openFile(page, name) {
  await page.click(`${$('migration-item')}[data-name="${name}"]`);
  await page.waitForFunction((n) => document.querySelector('[data-testid="editor-file-name"]')?.textContent === n, name, { timeout: T });
}

async function setRange(page, selector, value) {
  await page.$eval(selector, (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/**
 * The first load's phases, in ms since navigation start (docs/performance.md, "First load"): the app's
 * marks (boot.js runs, the wasm is compiled, main() starts, the first analysis and its view types are
 * done), the first contentful paint (the loading page), and when the table's title was painted (Element
 * Timing): the schema on screen, without the test's own polling.
 */
async function firstLoadPhases(p) {
  return p.evaluate(async () => {
    const painted = await new Promise((resolve) => {
      new PerformanceObserver((list, observer) => {
        const e = list.getEntries().find((x) => x.identifier === 'describe-title');
        if (e) {
          observer.disconnect();
          resolve(e.renderTime);
        }
      }).observe({ type: 'element', buffered: true });
      setTimeout(() => resolve(null), 5000);
    });
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const phases = {
      boot: at('sp:boot'), compiled: at('sp:compiled'), main: at('sp:main'), analysed: at('sp:analysed'),
      first_contentful_paint: at('first-contentful-paint'), schema_painted: painted,
    };
    return Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v == null ? null : Math.round(v)]));
  });
}

const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await newPage(context, 'main');

await test('first load shows the example schema: users as psql prints it', async () => {
  await page.goto(url);
  await page.waitForSelector(`${$('describe-title')}:text-is('Table "public.users"')`, { timeout: T });
  // When the test saw it: Playwright looks again 0, 20, 50, 100, 100 ms, then every 500 ms after it starts
  // waiting, so this clock read lags the screen by up to half a second.
  metrics.navigation_to_schema_polled_ms = Math.round(await page.evaluate(() => performance.now()));
  metrics.first_load_ms = await firstLoadPhases(page);
  // When it was on screen: the paint of the table's title (Element Timing), since navigation start.
  assert.ok(metrics.first_load_ms.schema_painted > 0, 'the title\'s paint was timed');
  assert.ok(metrics.first_load_ms.schema_painted <= metrics.navigation_to_schema_polled_ms);
  metrics.navigation_to_schema_ms = metrics.first_load_ms.schema_painted;
  // The rules ran after the schema was painted, and the problems panel said so until then.
  await settled(page);
  const rules = await page.evaluate(() => performance.getEntriesByName('sp:rules')[0]?.startTime);
  assert.ok(rules > metrics.first_load_ms.schema_painted, `rules at ${rules} ms, schema painted at ${metrics.first_load_ms.schema_painted} ms`);
  metrics.first_load_ms.rules = Math.round(rules);
  // The first analysis's own time: the simulation before the paint, the rules after it.
  metrics.first_analyze_ms = Number(await page.getAttribute($('app'), 'data-analyze-ms'));
  assert.equal(await page.locator($('checking-rules')).count(), 0);
  assert.match(await page.textContent($('problem-counts')), /^0 errors, [1-9]\d* warnings?, /);
  const names = await page.$$eval($('migration-item'), (els) => els.map((e) => e.dataset.name));
  assert.equal(names[0], '001_initial_schema.sql');
  assert.ok(names.includes('011_add_notifications_table_rollback.sql'));
  assert.ok(await page.locator('.hl .tok-kw').count() > 10, 'SQL keywords are highlighted');
  assert.ok(await page.locator('.hl .tok-com').count() > 0, 'comments are highlighted');
  const statuses = await page.$$eval($('migration-item'), (els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.every((s) => s !== 'error'), `statuses: ${statuses}`);
  const columns = await page.$$eval(`${$('describe-columns')} tbody th`, (els) => els.map((e) => e.textContent));
  assert.deepEqual(columns.slice(0, 3), ['id', 'email', 'username']);
  const sections = await page.$$eval($('describe-section'), (els) => els.map((e) => e.dataset.heading));
  assert.deepEqual(sections, ['Indexes:', 'Referenced by:', 'Triggers:']);
  // The psql tab holds exactly what PostgreSQL 15's psql printed for the example (tests/fixtures).
  await page.click($('tab-psql'));
  const text = await page.textContent($('psql-text'));
  assert.equal(text, readFileSync(join(repo, 'tests/fixtures/example-psql/users.txt'), 'utf8'));
  await page.click($('tab-describe'));
  // A foreign-key link leads to the referencing table.
  await page.click(`${$('table-item')}[data-name="tasks"]`);
  await page.click(`${$('describe-section')}[data-heading="Foreign-key constraints:"] ${$('table-link')}:text-is("projects")`);
  await page.waitForSelector(`${$('describe-title')}:text-is('Table "public.projects"')`, { timeout: T });
  await page.click(`${$('table-item')}[data-name="users"]`);
  await page.screenshot({ path: join(artifacts, '01-first-load.png') });
});

const BAD = 'CREATE TABLE audit_log (id int PRIMARY KEY, actor uuid REFERENCES people(id));';
const GOOD = BAD.replace('people', 'users');
let badLine = 0;

await test('a bad statement shows a diagnostic at its line; clicking the problem moves the cursor there', async () => {
  await openFile(page, '011_add_notifications_table.sql');
  const editor = page.locator($('editor'));
  const before = await editor.inputValue();
  badLine = before.split('\n').length + (before.endsWith('\n') ? 0 : 1);
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(`${before.endsWith('\n') ? '' : '\n'}${BAD}`);
  await settled(page);
  // The editor scrolled to keep the caret (on the last line) in view.
  assert.ok(await page.$eval('.editor-scroll', (el, line) => el.scrollTop > 0 && el.scrollTop + el.clientHeight >= line * 20, badLine));
  metrics.keystroke_analyze_ms = Number(await page.getAttribute($('app'), 'data-analyze-ms'));
  metrics.keystroke_analyze_render_ms = Number(await page.getAttribute($('app'), 'data-render-ms'));
  const problem = page.locator(`${$('problem')}[data-file="011_add_notifications_table.sql"]`).filter({ hasText: 'people' });
  await problem.first().waitFor({ timeout: T });
  assert.equal(await problem.first().getAttribute('data-line'), String(badLine));
  assert.match(await problem.first().textContent(), /011_add_notifications_table\.sql:\d+:1\s*error\s*relation "people" does not exist/);
  const row = page.locator('.problem-row').filter({ hasText: 'people' }).first();
  assert.equal(await row.locator($('rule-link')).getAttribute('data-rule'), 'postgres-error');
  // In place: a gutter mark on that line and an underline in the highlighted text.
  const gutter = await page.$$eval('.gutter .ln', (els) => els.map((e) => e.className));
  assert.match(gutter[badLine - 1], /diag-error/);
  assert.ok(await page.locator('.hl .diag-error').count() > 0);
  const item = page.locator(`${$('migration-item')}[data-name="011_add_notifications_table.sql"]`);
  assert.equal(await item.getAttribute('data-status'), 'error');
  // Move the cursor away, then jump back through the problems panel.
  await editor.focus();
  await page.keyboard.press('Control+Home');
  await problem.first().click();
  const where = await page.$eval($('editor'), (ta) => {
    const before = ta.value.slice(0, ta.selectionStart);
    return { line: before.split('\n').length, col: before.length - before.lastIndexOf('\n'), focused: document.activeElement === ta };
  });
  assert.deepEqual(where, { line: badLine, col: 1, focused: true });
  assert.match(await page.textContent($('cursor-status')), new RegExp(`Ln ${badLine}, Col 1.*people`));
  // Hovering the underline (under the transparent textarea) shows the message as a tooltip.
  const box = await page.locator('.hl .diag-error').first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => /people/.test(document.querySelector('[data-testid="editor"]').title), null, { timeout: T });
  await page.screenshot({ path: join(artifacts, '02-diagnostic.png') });
  // While the file fails, a real run stops there: later tables are not in the latest schema.
  assert.equal(await page.locator(`${$('table-item')}[data-name="notifications"]`).count(), 0);
  assert.match(await page.textContent($('timeline-label')), /where the run stops: error at 011_add_notifications_table\.sql:/);
});

await test('clicking a problem in another file opens that file', async () => {
  await openFile(page, '001_initial_schema.sql');
  await page.click(`${$('problem')}.error[data-file="011_add_notifications_table.sql"]`);
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-file-name"]')?.textContent === '011_add_notifications_table.sql', null, { timeout: T });
  const line = await page.$eval($('editor'), (ta) => ta.value.slice(0, ta.selectionStart).split('\n').length);
  assert.equal(line, badLine);
});

await test('fixing the statement clears the diagnostic', async () => {
  const editor = page.locator($('editor'));
  await editor.fill((await editor.inputValue()).replace(BAD, GOOD));
  await settled(page);
  assert.equal(await page.locator(`${$('problem')}.error[data-file="011_add_notifications_table.sql"]`).count(), 0);
  assert.notEqual(await page.getAttribute(`${$('migration-item')}[data-name="011_add_notifications_table.sql"]`, 'data-status'), 'error');
  await page.waitForSelector(`${$('table-item')}[data-name="audit_log"]`, { timeout: T });
  await page.waitForSelector(`${$('table-item')}[data-name="notifications"]`, { timeout: T });
});

await test('new migration gets the next number (012_…) from the template', async () => {
  await page.click($('new-migration'));
  await page.fill(`${$('new-migration-dialog')} ${$('prompt-input')}`, 'add audit log');
  assert.equal(await page.textContent($('prompt-preview')), 'Creates 012_add_audit_log.sql');
  await page.click($('prompt-ok'));
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-file-name"]')?.textContent === '012_add_audit_log.sql', null, { timeout: T });
  const text = await page.inputValue($('editor'));
  assert.match(text, /^-- Migration: add audit log\n/);
  await settled(page);
  const names = await page.$$eval($('migration-item'), (els) => els.map((e) => e.dataset.name));
  assert.equal(names.filter((n) => /^0\d\d_/.test(n) && !n.includes('rollback')).pop(), '012_add_audit_log.sql');
});

await test('rename and delete files', async () => {
  await page.click($('rename-file'));
  await page.fill(`${$('rename-dialog')} ${$('prompt-input')}`, '011_add_notifications_table.sql');
  assert.match(await page.textContent($('prompt-error')), /already exists/);
  await page.fill(`${$('rename-dialog')} ${$('prompt-input')}`, '012_add_audit.sql');
  await page.click($('prompt-ok'));
  await page.waitForSelector(`${$('migration-item')}[data-name="012_add_audit.sql"]`, { timeout: T });
  await page.click($('new-migration'));
  await page.fill($('prompt-input'), 'scratch');
  await page.click($('prompt-ok'));
  await page.waitForFunction(() => document.querySelector('[data-testid="editor-file-name"]')?.textContent === '013_scratch.sql', null, { timeout: T });
  await page.click($('delete-file'));
  await page.click(`${$('delete-dialog')} ${$('confirm-ok')}`);
  await page.waitForSelector(`${$('migration-item')}[data-name="013_scratch.sql"]`, { state: 'detached', timeout: T });
});

await test('reload keeps the draft', async () => {
  await page.reload();
  await page.waitForSelector($('migration-list'), { timeout: T });
  await page.waitForSelector(`${$('migration-item')}[data-name="012_add_audit.sql"]`, { timeout: T });
  await openFile(page, '011_add_notifications_table.sql');
  assert.ok((await page.inputValue($('editor'))).includes(GOOD));
  assert.equal(await page.getAttribute($('app'), 'data-source'), 'draft');
});

await test('typing is saved once it pauses, and when the page is hidden or left', async () => {
  const saved = () => page.evaluate(() => localStorage.getItem('schema-playground/workspace'));
  await openFile(page, '012_add_audit.sql');
  const editor = page.locator($('editor'));
  await editor.focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n-- paused');
  await page.waitForFunction(() => localStorage.getItem('schema-playground/workspace').includes('-- paused'), null, { timeout: T });
  // One keystroke, then at once the page is hidden: saved then, not a second later.
  await page.keyboard.type('!');
  const [before, after] = await page.evaluate(() => {
    const get = () => localStorage.getItem('schema-playground/workspace');
    const b = get().includes('-- paused!');
    document.dispatchEvent(new Event('visibilitychange'));
    return [b, get().includes('-- paused!')];
  });
  assert.deepEqual([before, after], [false, true]);
  // A keystroke right before a reload (pagehide).
  await page.keyboard.type('?');
  await page.reload();
  await page.waitForSelector(`${$('migration-item')}[data-name="012_add_audit.sql"]`, { timeout: T });
  await openFile(page, '012_add_audit.sql');
  assert.ok((await page.inputValue($('editor'))).endsWith('\n-- paused!?'));
  assert.ok((await saved()).includes('-- paused!?'));
});

let shareUrl = '';
await test('share link round trip, in a browser with no draft', async () => {
  await page.click($('share'));
  shareUrl = await page.inputValue($('share-url'));
  assert.ok(shareUrl.startsWith(`${url.replace(/\/$/, '')}/#w1=`) || shareUrl.startsWith(`${origin}/#w1=`), shareUrl);
  const snippet = await page.inputValue($('embed-snippet'));
  assert.match(snippet, /^<iframe src="[^"]+\?embed#w1=[A-Za-z0-9_-]+"/);
  metrics.share_url_chars = shareUrl.length;
  await page.screenshot({ path: join(artifacts, '03-share.png') });
  await page.click($('share-close'));

  const other = await newPage(null, 'share', { viewport: { width: 1280, height: 800 } });
  await other.goto(shareUrl);
  await other.waitForSelector($('shared-banner'), { timeout: T });
  await other.waitForSelector(`${$('migration-item')}[data-name="012_add_audit.sql"]`, { timeout: T });
  await openFile(other, '011_add_notifications_table.sql');
  assert.ok((await other.inputValue($('editor'))).includes(GOOD));
  // Viewing a shared workspace saves nothing until the user keeps it.
  assert.equal(await other.evaluate(() => localStorage.getItem('schema-playground/workspace')), null);
  await other.click($('keep-shared'));
  await other.waitForSelector($('shared-banner'), { state: 'detached', timeout: T });
  assert.ok((await other.evaluate(() => localStorage.getItem('schema-playground/workspace'))).includes('012_add_audit.sql'));
  assert.equal(new URL(other.url()).hash, '');
  await other.context().close();
});

await test('a damaged share link shows a clear message and leaves the draft alone', async () => {
  const saved = await page.evaluate(() => localStorage.getItem('schema-playground/workspace'));
  // Pasted into the address bar of the open app (a same-document navigation: hashchange)…
  await page.goto(`${url}#w1=AAAAthis-is-not-a-workspace`);
  await page.waitForSelector(`${$('notice')}[data-key="share"]`, { timeout: T });
  assert.match(await page.textContent(`${$('notice')}[data-key="share"]`), /could not be opened.*draft was not changed/);
  // …and opened afresh.
  await page.reload();
  await page.waitForSelector(`${$('notice')}[data-key="share"]`, { timeout: T });
  assert.match(await page.textContent(`${$('notice')}[data-key="share"]`), /could not be opened.*draft was not changed/);
  await page.waitForSelector(`${$('migration-item')}[data-name="012_add_audit.sql"]`, { timeout: T });
  assert.equal(await page.evaluate(() => localStorage.getItem('schema-playground/workspace')), saved);
  await page.screenshot({ path: join(artifacts, '04-damaged-link.png') });
  await page.goto(url);
  await page.waitForSelector($('migration-list'), { timeout: T });
});

await test('embed mode shows a compact read-only schema', async () => {
  const embed = await newPage(null, 'embed', { viewport: { width: 800, height: 480 } });
  const fragment = new URL(shareUrl).hash;
  await embed.goto(`${url}?embed${fragment}`);
  await embed.waitForSelector(`${$('embed')} ${$('describe-title')}:text-is('Table "public.users"')`, { timeout: T });
  assert.equal(await embed.locator($('editor')).count(), 0);
  assert.equal(await embed.locator($('new-migration')).count(), 0);
  await embed.click(`${$('table-item')}:text-is("audit_log")`);
  await embed.waitForSelector(`${$('describe-title')}:text-is('Table "public.audit_log"')`, { timeout: T });
  await embed.click(`${$('table-item')}:text-is("notifications")`);
  await embed.waitForSelector(`${$('describe-title')}:text-is('Table "public.notifications"')`, { timeout: T });
  await embed.screenshot({ path: join(artifacts, '05-embed.png') });
  assert.equal(await embed.evaluate(() => localStorage.getItem('schema-playground/workspace')), null);
  await embed.context().close();
});

await test('importing files through the file input', async () => {
  await page.setInputFiles($('import-files'), [
    { name: '013_import_test.sql', mimeType: 'text/plain', buffer: Buffer.from('CREATE TABLE imported_things (id bigint PRIMARY KEY, label text NOT NULL);\n') },
    { name: 'blob.sql', mimeType: 'application/octet-stream', buffer: Buffer.from([0x43, 0x00, 0x01, 0xff]) },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
  ]);
  await page.waitForSelector($('import-dialog'), { timeout: T });
  const message = await page.textContent($('import-dialog'));
  assert.match(message, /013_import_test\.sql/);
  assert.match(message, /blob\.sql looks binary/);
  assert.match(message, /notes\.txt \(not \.sql\)/);
  await page.click(`${$('import-dialog')} ${$('confirm-ok')}`);
  await page.waitForSelector(`${$('migration-item')}[data-name="013_import_test.sql"]`, { timeout: T });
  await page.waitForSelector(`${$('table-item')}[data-name="imported_things"]`, { timeout: T });
  assert.match(await page.textContent(`${$('notice')}[data-key="import"]`), /Imported 1 file/);

  // A whole folder (webkitdirectory): only its .sql files are taken.
  const dir = mkdtempSync(join(tmpdir(), 'sp-import-'));
  writeFileSync(join(dir, '014_from_folder.sql'), 'ALTER TABLE imported_things ADD COLUMN note text;\n');
  writeFileSync(join(dir, 'README.md'), '# not sql\n');
  await page.setInputFiles($('import-folder'), dir);
  await page.waitForSelector($('import-dialog'), { timeout: T });
  assert.match(await page.textContent($('import-dialog')), /014_from_folder\.sql/);
  await page.click(`${$('import-dialog')} ${$('confirm-ok')}`);
  await page.waitForSelector(`${$('migration-item')}[data-name="014_from_folder.sql"]`, { timeout: T });
});

await test('a project without a users table shows its first table, also when an edit takes the picked one away', async () => {
  const p = await newPage(null, 'replace', { viewport: { width: 1440, height: 900 } });
  await p.goto(url);
  await p.waitForSelector(`${$('describe-title')}:text-is('Table "public.users"')`, { timeout: T });
  const dir = mkdtempSync(join(tmpdir(), 'sp-replace-'));
  writeFileSync(join(dir, '001_shop.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE TABLE customers (id bigint PRIMARY KEY, name text);\n');
  writeFileSync(join(dir, '002_items.sql'), 'CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders);\n');
  await p.setInputFiles($('import-folder'), dir);
  await p.waitForSelector($('import-dialog'), { timeout: T });
  await p.click(`${$('import-dialog')} ${$('confirm-alt')}`);
  await p.waitForSelector(`${$('migration-item')}[data-name="002_items.sql"]`, { timeout: T });
  await settled(p);
  const current = () => p.getAttribute(`${$('table-item')}[aria-current="true"]`, 'data-name');
  // The first table of the list, marked in the list; no "not found".
  await p.waitForSelector(`${$('describe-title')}:text-is('Table "public.customers"')`, { timeout: T });
  assert.equal(await current(), 'customers');
  assert.equal(await p.locator($('no-table')).count(), 0);
  // A picked table that an edit renames: the first table again.
  await p.click(`${$('table-item')}[data-name="orders"]`);
  await p.waitForSelector(`${$('describe-title')}:text-is('Table "public.orders"')`, { timeout: T });
  await openFile(p, '002_items.sql');
  const editor = p.locator($('editor'));
  await editor.fill(`${await editor.inputValue()}ALTER TABLE orders RENAME TO purchases;\n`);
  await settled(p);
  await p.waitForSelector(`${$('table-item')}[data-name="purchases"]`, { timeout: T });
  await p.waitForSelector(`${$('describe-title')}:text-is('Table "public.customers"')`, { timeout: T });
  assert.equal(await current(), 'customers');
  assert.equal(await p.locator($('no-table')).count(), 0);
  // Back in time, a table of the latest schema that did not exist yet is named, and the first table shown;
  // back at the latest schema, the picked table returns.
  await p.click(`${$('table-item')}[data-name="items"]`);
  await p.waitForSelector(`${$('describe-title')}:text-is('Table "public.items"')`, { timeout: T });
  await setRange(p, $('timeline-range'), 1);
  await p.waitForSelector(`${$('timeline-label')}:has-text("after 001_shop.sql (1 of 2)")`, { timeout: T });
  assert.equal(await p.textContent($('table-missing')), 'Table "items" does not exist after 001_shop.sql.');
  assert.equal(await p.textContent($('describe-title')), 'Table "public.customers"');
  assert.equal(await p.locator(`${$('table-item')}[data-name="orders"]`).count(), 1);
  await p.screenshot({ path: join(artifacts, '13-first-table.png') });
  await p.click($('timeline-latest'));
  await p.waitForSelector(`${$('describe-title')}:text-is('Table "public.items"')`, { timeout: T });
  assert.equal(await p.locator($('table-missing')).count(), 0);
  await p.context().close();
});

await test('time travel changes the shown schema', async () => {
  await settled(page);
  await page.click(`${$('table-item')}[data-name="users"]`);
  await setRange(page, $('timeline-range'), 1);
  await page.waitForSelector(`${$('timeline-label')}:has-text("after 001_initial_schema.sql (1 of")`, { timeout: T });
  const at1 = await page.$$eval(`${$('describe-columns')} tbody th`, (els) => els.map((e) => e.textContent));
  assert.ok(!at1.includes('phone_number') && !at1.includes('notification_count'), at1.join(','));
  assert.equal(await page.locator(`${$('table-item')}[data-name="notifications"]`).count(), 0);
  await setRange(page, $('timeline-range'), 5);
  await page.waitForSelector(`${$('timeline-label')}:has-text("005_add_user_profile_fields.sql")`, { timeout: T });
  const at5 = await page.$$eval(`${$('describe-columns')} tbody th`, (els) => els.map((e) => e.textContent));
  assert.ok(at5.includes('phone_number') && !at5.includes('notification_count'), at5.join(','));
  await page.screenshot({ path: join(artifacts, '06-time-travel.png') });
  await page.click($('timeline-latest'));
  await page.waitForSelector(`${$('table-item')}[data-name="notifications"]`, { timeout: T });
});

await test('reset to the example asks first', async () => {
  await page.click($('reset'));
  await page.click(`${$('reset-dialog')} ${$('confirm-cancel')}`);
  assert.equal(await page.locator(`${$('migration-item')}[data-name="013_import_test.sql"]`).count(), 1);
  await page.click($('reset'));
  await page.click(`${$('reset-dialog')} ${$('confirm-ok')}`);
  await page.waitForSelector(`${$('migration-item')}[data-name="013_import_test.sql"]`, { state: 'detached', timeout: T });
  await settled(page);
  assert.match(await page.textContent($('problem-counts')), /^0 errors, \d+ warnings?, /);
});

await test("a warning's rule id opens the rule's documentation, examples included", async () => {
  await settled(page);
  const link = page.locator(`${$('rule-link')}[data-rule="require-concurrent-index-creation"]`).first();
  await link.waitFor({ timeout: T });
  await link.click();
  await page.waitForSelector($('rule-doc'), { timeout: T });
  assert.match(await page.textContent($('rule-summary')), /CONCURRENTLY/);
  assert.match(await page.textContent($('rule-bad')), /CREATE INDEX orders_customer_id_idx/);
  assert.match(await page.textContent($('rule-good')), /CREATE INDEX CONCURRENTLY/);
  // The examples are highlighted by the editor's tokenizer.
  assert.ok(await page.locator(`${$('rule-bad')} .tok-kw`).count() > 0);
  await page.screenshot({ path: join(artifacts, '09-rule-doc.png') });
  await page.click($('rule-doc-close'));
  await page.waitForSelector($('rule-doc'), { state: 'detached', timeout: T });
});

await test('the status bar names the locks of the statement under the cursor', async () => {
  await settled(page);
  await openFile(page, '008_add_project_settings.sql');
  const editor = page.locator($('editor'));
  await editor.focus();
  await page.$eval($('editor'), (ta) => {
    const at = ta.value.indexOf('CREATE INDEX IF NOT EXISTS idx_projects_active');
    ta.setSelectionRange(at + 3, at + 3);
  });
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector($('cursor-locks'), { timeout: T });
  assert.match(await page.textContent($('cursor-locks')), /^Locks: SHARE on projects: blocks .*write/);
  await page.screenshot({ path: join(artifacts, '11-locks.png') });
});

await test('the Changes tab tells what a migration did', async () => {
  await settled(page);
  await setRange(page, $('timeline-range'), 5);
  await page.waitForSelector(`${$('timeline-label')}:has-text("005_add_user_profile_fields.sql")`, { timeout: T });
  await page.click($('tab-changes'));
  await page.waitForSelector($('changes'), { timeout: T });
  const rows = await page.$$eval($('change'), (els) => els.map((e) => `${e.dataset.kind} ${e.dataset.object} ${e.textContent}`));
  assert.ok(rows.some((r) => /^added column .*phone_number on users/.test(r)), rows.join(' | '));
  assert.ok(rows.some((r) => /^added column .*full_name on users/.test(r)), rows.join(' | '));
  await page.screenshot({ path: join(artifacts, '10-changes.png') });
  // The table name opens the table.
  await page.locator($('change-table')).first().click();
  await page.click($('tab-describe'));
  await page.waitForSelector(`${$('table-item')}[data-name="users"][aria-current="true"]`, { timeout: T });
  await page.click($('timeline-latest'));
});

await test('phone layout (390×844) stacks the panes without horizontal scrolling', async () => {
  const phone = await newPage(null, 'phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(url);
  await phone.waitForSelector(`${$('describe-title')}`, { timeout: T });
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width}px wide`);
  await phone.screenshot({ path: join(artifacts, '07-phone.png'), fullPage: true });
  await phone.context().close();
});

await test('an unreadable saved draft is kept aside and reported', async () => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('schema-playground/workspace', '{"format":"schema-playground-workspace","version":1,"files":[{"name":');
    }
  });
  const p = await newPage(ctx, 'unreadable');
  await p.goto(url);
  await p.waitForSelector(`${$('notice')}[data-key="draft"]`, { timeout: T });
  assert.match(await p.textContent(`${$('notice')}[data-key="draft"]`), /could not be read.*kept in localStorage/);
  assert.match(await p.evaluate(() => localStorage.getItem('schema-playground/workspace.unreadable')), /^\{"format"/);
  await p.waitForSelector(`${$('migration-item')}[data-name="001_initial_schema.sql"]`, { timeout: T });
  await ctx.close();
});

await test('a storage failure is shown, and the work stays on the page', async () => {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  const p = await newPage(ctx, 'quota');
  await p.goto(url);
  await p.waitForSelector(`${$('notice')}[data-key="storage"]`, { timeout: T });
  assert.match(await p.textContent(`${$('notice')}[data-key="storage"]`), /could not be saved.*QuotaExceededError/);
  await ctx.close();
});

await test('a mechanical fix is shown as a diff in the problems panel and applied with a button', async () => {
  const p = await newPage(null, 'fix', { viewport: { width: 1440, height: 900 } });
  await p.goto(url);
  await p.waitForSelector($('migration-list'), { timeout: T });
  await p.click($('new-migration'));
  await p.fill(`${$('new-migration-dialog')} ${$('prompt-input')}`, 'add fix demo');
  await p.click($('prompt-ok'));
  const name = '012_add_fix_demo.sql';
  await p.waitForFunction((n) => document.querySelector('[data-testid="editor-file-name"]')?.textContent === n, name, { timeout: T });
  const stmt = 'CREATE TABLE fix_demo (id bigint PRIMARY KEY, note text);';
  const editor = p.locator($('editor'));
  const text = `${await editor.inputValue()}\n${stmt}\n`;
  const line = text.split('\n').indexOf(stmt) + 1;
  await editor.fill(text);
  await settled(p);
  const row = p.locator('.problem-row')
    .filter({ has: p.locator(`${$('problem')}[data-file="${name}"]`) })
    .filter({ has: p.locator(`${$('rule-link')}[data-rule="prefer-robust-stmts"]`) });
  await row.first().waitFor({ timeout: T });
  assert.equal(await row.count(), 1);
  // The title and the diff of the line: removed, then added, the change itself marked.
  assert.equal(await row.locator($('fix-title')).textContent(), 'Add IF NOT EXISTS');
  const diff = await row.locator(`${$('fix-diff')} .fix-line`).evaluateAll((els) => els.map((e) => [e.dataset.side, e.textContent]));
  assert.deepEqual(diff, [
    ['removed', `${line}-${stmt}`],
    ['added', `${line}+${stmt.replace('TABLE', 'TABLE IF NOT EXISTS')}`],
  ]);
  assert.equal(await row.locator('.fix-line.added .fix-changed').textContent(), ' IF NOT EXISTS');
  // The editor's hover text says a fix is there.
  const titles = await p.$$eval('.gutter .ln', (els) => els.map((e) => e.title));
  assert.match(titles[line - 1], /prefer-robust-stmts.*\(fix in Problems: Add IF NOT EXISTS\)/);
  // The button is labelled and reachable from the keyboard.
  const apply = row.locator($('apply-fix'));
  assert.equal(await apply.textContent(), 'Apply fix');
  assert.match(await apply.getAttribute('aria-label'), new RegExp(`^Apply fix: Add IF NOT EXISTS \\(${name}:${line}:\\d+\\)$`));
  await apply.focus();
  assert.ok(await apply.evaluate((el) => document.activeElement === el));
  await row.scrollIntoViewIfNeeded();
  await p.screenshot({ path: join(artifacts, '14-fix-diff.png') });
  await apply.click();
  await settled(p);
  const fixed = stmt.replace('TABLE', 'TABLE IF NOT EXISTS');
  assert.equal(await editor.inputValue(), text.replace(stmt, fixed));
  await row.first().waitFor({ state: 'detached', timeout: T });
  assert.equal(await row.count(), 0);
  // Saved as typing is.
  assert.ok((await p.evaluate(() => localStorage.getItem('schema-playground/workspace'))).includes(fixed));
  await p.waitForSelector(`${$('table-item')}[data-name="fix_demo"]`, { timeout: T });
  await p.context().close();
});

await test('dark theme follows the system setting', async () => {
  const p = await newPage(null, 'dark', { colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  await p.goto(url);
  await p.waitForSelector($('describe-title'), { timeout: T });
  const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, bg);
  await p.screenshot({ path: join(artifacts, '08-dark.png') });
  await p.context().close();
});

await test('keyboard: dividers move with arrow keys; Escape closes dialogs', async () => {
  await page.goto(url);
  await page.waitForSelector($('migration-list'), { timeout: T });
  const before = await page.$eval('.pane-migrations', (e) => e.getBoundingClientRect().width);
  await page.focus('.divider');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const after = await page.$eval('.pane-migrations', (e) => e.getBoundingClientRect().width);
  assert.equal(Math.round(after - before), 48);
  await page.click($('new-migration'));
  await page.keyboard.press('Escape');
  await page.waitForSelector($('new-migration-dialog'), { state: 'detached', timeout: T });
});

/** Types `keys` one by one at the end of the open file; returns the median analysis and analysis + render time. */
async function typingCost(p, keys) {
  const analyze = [];
  const render = [];
  const editor = p.locator($('editor'));
  await editor.focus();
  await p.keyboard.press('Control+End');
  for (const key of keys) {
    await p.keyboard.type(key);
    await settled(p);
    // The new view has reached the DOM once data-render-ms is written for this analysis.
    await p.waitForFunction(() => document.querySelector('[data-testid="app"]').hasAttribute('data-render-ms'), null, { timeout: T });
    analyze.push(Number(await p.getAttribute($('app'), 'data-analyze-ms')));
    render.push(Number(await p.getAttribute($('app'), 'data-render-ms')));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { analyze: median(analyze), render: median(render) };
}

await test('typing in the example stays quick (figures reported, not asserted)', async () => {
  const cost = await typingCost(page, ['\n', '-', '-', ' ', 'x']);
  metrics.example_keystroke_analyze_ms = cost.analyze;
  metrics.example_keystroke_analyze_render_ms = cost.render;
});

// The 1,000-file history of the benchmarks (scripts/test-web.sh generates it): imported through the folder input,
// replacing the example, then typed into at its last file.
await test('a 1,000-file project: import it, then type in its last file', async () => {
  const dir = process.env.HISTORY_DIR;
  if (!dir) {
    console.log('     (HISTORY_DIR is not set: the 1,000-file figures are not measured)');
    return;
  }
  const names = readdirSync(dir).filter((n) => n.endsWith('.sql')).sort();
  const big = await newPage(null, 'history', { viewport: { width: 1440, height: 900 } });
  await big.goto(url);
  await big.waitForSelector($('table-item'), { timeout: T });
  const t0 = Date.now();
  await big.setInputFiles($('import-folder'), dir);
  await big.waitForSelector($('import-dialog'), { timeout: 120_000 });
  await big.click(`${$('import-dialog')} ${$('confirm-alt')}`);
  const last = names[names.length - 1];
  await big.waitForSelector(`${$('migration-item')}[data-name="${last}"]`, { timeout: 300_000 });
  await settled(big);
  metrics.history_files = names.length;
  metrics.history_import_and_first_analysis_ms = Date.now() - t0;
  metrics.history_first_analyze_ms = Number(await big.getAttribute($('app'), 'data-analyze-ms'));
  assert.equal(await big.locator($('migration-item')).count(), names.length);
  await openFile(big, last);
  const cost = await typingCost(big, ['\n', '-', '-', ' ', 'x']);
  metrics.history_keystroke_analyze_ms = cost.analyze;
  metrics.history_keystroke_analyze_render_ms = cost.render;
  // Only what changed ran again: the last file's comment changed nothing, so the schema is all there.
  assert.ok(await big.locator($('table-item')).count() > 500);
  await big.screenshot({ path: join(artifacts, '12-history.png') });
  await big.context().close();
});

await test('no console errors and no request to another origin', async () => {
  assert.deepEqual(problems, []);
});

await browser.close();
console.log(`metrics ${JSON.stringify(metrics)}`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
