// Where the first load's time goes (docs/performance.md, "First load"). Opens the app RUNS times, each time in
// a fresh chromium (no HTTP cache, no compiled wasm kept, as in the browser tests), and prints the median
// of each figure, in ms since navigation start unless named *_ms, with every run's value after it.
//   node e2e/first-load.mjs URL [URL...] [--runs N]       (serve a dist/ first: python3 -m http.server -d dist)
// With several URLs (builds to compare), the runs alternate between them, so a busy machine weighs on each.
// CHROMIUM_FLAGS adds browser flags (e.g. --js-flags=--liftoff-only); FRAMES=1 prints the long animation frames.
//
// The figures: navigation and resource timing (HTML, boot.js, the glue, the wasm download), wrappers around
// WebAssembly's compile functions (which one ran, from when to when), the app's own marks (`sp:*`: boot.js
// runs, the wasm is compiled, main() starts, the first analysis is done), when the app and the `\d users`
// title entered the DOM (a MutationObserver), the long animation frame that rendered them (its scripts,
// then style, layout and paint), paint timing, when the title was painted (Element Timing), and
// test_metric, taken as e2e/app.test.mjs takes navigation_to_schema_ms.
import os from 'node:os';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 7;
const urls = args.length ? args : ['http://127.0.0.1:8080/'];

function instrument() {
  const t = (window.__load = { wasm: [] });
  const wrap = (name) => {
    const orig = WebAssembly[name];
    if (!orig) return;
    WebAssembly[name] = function (...args) {
      const entry = { fn: name, start: performance.now() };
      t.wasm.push(entry);
      return orig.apply(this, args).then(
        (r) => { entry.end = performance.now(); return r; },
        (e) => { entry.end = performance.now(); entry.error = String(e); throw e; },
      );
    };
  };
  ['instantiateStreaming', 'compileStreaming', 'instantiate', 'compile'].forEach(wrap);
  new MutationObserver(() => {
    if (t.app === undefined && document.querySelector('[data-testid="app"]')) t.app = performance.now();
    const title = document.querySelector('[data-testid="describe-title"]');
    if (t.schema === undefined && title && title.textContent === 'Table "public.users"') {
      t.schema = performance.now();
      // The frame that shows it: the next animation frame's callback runs right before that paint.
      requestAnimationFrame(() => { t.schemaFrame = performance.now(); });
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (t.titlePainted === undefined && e.identifier === 'describe-title') t.titlePainted = e.renderTime || e.loadTime;
      }
    }).observe({ type: 'element', buffered: true });
  } catch (e) { /* no Element Timing */ }
  t.frames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        t.frames.push({
          start: e.startTime, duration: e.duration, renderStart: e.renderStart, styleAndLayoutStart: e.styleAndLayoutStart,
          blocking: e.blockingDuration,
          scripts: (e.scripts ?? []).map((s) => ({ inv: s.invoker, type: s.invokerType, start: s.startTime, dur: s.duration, src: s.sourceURL, fn: s.sourceFunctionName })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { t.frames.push(String(e)); }
}

const rows = Object.fromEntries(urls.map((u) => [u, []]));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average before: ${load()} (${os.cpus().length} CPUs)`);
for (let i = 0; i < runs; i++) for (const url of urls) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      // Extra flags for experiments, e.g. CHROMIUM_FLAGS=--js-flags=--no-wasm-lazy-compilation
      ...(process.env.CHROMIUM_FLAGS ?? '').split(' ').filter(Boolean),
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const console_ = [];
  page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="describe-title"]:text-is(\'Table "public.users"\')', { timeout: 30_000 });
  const metric = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => window.__load.schemaFrame !== undefined);
  // Element Timing needs the app's elementtiming attribute; older builds have none.
  await page.waitForFunction(() => window.__load.titlePainted !== undefined, null, { timeout: 3000 }).catch(() => {});
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const one = (suffix) => res.filter((e) => e.name.endsWith(suffix));
    const wasm = one('.wasm');
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
    const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
    const app = document.querySelector('[data-testid="app"]');
    const l = window.__load;
    const ws = l.wasm.find((w) => !w.error) ?? {};
    return {
      html_response_end: nav.responseEnd,
      dom_content_loaded: nav.domContentLoadedEventEnd,
      boot_js_end: one('boot.js')[0]?.responseEnd,
      app_js_end: res.find((e) => /app-[0-9a-f]+\.js$/.test(e.name))?.responseEnd,
      wasm_fetches: wasm.length,
      wasm_fetch_start: wasm[0]?.startTime,
      wasm_fetch_end: wasm[0]?.responseEnd,
      wasm_content_type: wasm[0]?.contentType,
      wasm_fn: l.wasm.map((w) => w.fn + (w.error ? '(failed)' : '')).join(','),
      wasm_compile_start: ws.start,
      wasm_compile_end: ws.end,
      ...marks,
      app_in_dom: l.app,
      first_paint: paint['first-paint'],
      first_contentful_paint: paint['first-contentful-paint'],
      schema_in_dom: l.schema,
      schema_frame: l.schemaFrame,
      schema_painted: l.titlePainted,
      analyze_ms: Number(app?.dataset.analyzeMs),
      // The animation frame that put the schema on screen: its scripts, then style, layout and paint.
      ...(() => {
        const f = l.frames.find((x) => x.start <= l.schema && l.schema <= x.start + x.duration);
        if (!f) return {};
        return {
          frame_start: f.start,
          frame_scripts_ms: f.scripts.reduce((a, s) => a + s.dur, 0),
          frame_render_start: f.renderStart,
          frame_style_layout_ms: f.start + f.duration - f.styleAndLayoutStart,
          frame_end: f.start + f.duration,
        };
      })(),
    };
  });
  r.test_metric = metric;
  if (process.env.FRAMES) console.log(JSON.stringify(await page.evaluate(() => window.__load.frames), null, 1));
  r.console = console_.filter((c) => !c.startsWith('debug')).join(' | ');
  rows[url].push(r);
  await browser.close();
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : undefined;
};
console.log(`load average after: ${load()}`);
for (const url of urls) {
  console.log(`\n${url} (median of ${runs}; each run in parentheses)`);
  const keys = [...new Set(rows[url].flatMap((r) => Object.keys(r)))];
  for (const k of keys) {
    const vals = rows[url].map((r) => r[k]);
    const m = median(vals);
    const shown = m === undefined
      ? [...new Set(vals.map(String))].join(' / ')
      : `${m.toFixed(1)}   (${vals.map((v) => (typeof v === 'number' ? v.toFixed(0) : v)).join(', ')})`;
    console.log(`${k.padEnd(28)} ${shown}`);
  }
}
