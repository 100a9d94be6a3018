// Where a keystroke's time goes in a long history (docs/performance.md, "Typing in a long history"). Imports
// HISTORY_DIR (the benchmarks' 1,000-file history) into a fresh chromium, opens its last file, types KEYS
// characters at its end, each waited for as the browser tests wait (analysis debounced, then rendered), and
// records the whole time in the renderer's main thread: a trace (script, style, layout, paint, GC, by event)
// and the JS/wasm sampling profiler (self time by function: wasm function names need a build that keeps
// them, e.g. wasm-opt with --debuginfo).
//   HISTORY_DIR=/tmp/history node e2e/keystroke-profile.mjs URL [--keys N] [--top N] [--cpuprofile FILE] [--trace FILE]
// (a .cpuprofile opens in DevTools' Performance panel, the trace in chrome://tracing or Perfetto)
import { writeFileSync, readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : dflt;
};
const keys = Number(opt('--keys', 10));
const top = Number(opt('--top', 40));
const cpuprofile = opt('--cpuprofile', null);
const traceFile = opt('--trace', null);
const url = args[0] ?? 'http://127.0.0.1:8080/';
const dir = process.env.HISTORY_DIR ?? '/tmp/history';
const T = 300_000;
const $ = (id) => `[data-testid="${id}"]`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
page.on('console', (m) => { if (m.type() === 'error') console.log(`console error: ${m.text()}`); });
await page.goto(url);
await page.waitForSelector($('table-item'), { timeout: T });
await page.setInputFiles($('import-folder'), dir);
await page.waitForSelector($('import-dialog'), { timeout: T });
await page.click(`${$('import-dialog')} ${$('confirm-alt')}`);
const names = readdirSync(dir).filter((n) => n.endsWith('.sql')).sort();
const last = names[names.length - 1];
await page.waitForSelector(`${$('migration-item')}[data-name="${last}"]`, { timeout: T });
await page.waitForSelector(`${$('app')}[data-pending="false"]`, { timeout: T });
await page.click(`${$('migration-item')}[data-name="${last}"]`);
await page.waitForFunction((n) => document.querySelector('[data-testid="editor-file-name"]')?.textContent === n, last);
const editor = page.locator($('editor'));
await editor.focus();
await page.keyboard.press('Control+End');
// Warm-up keystrokes: the first ones compile code on first call.
for (const k of ['\n', '-', '-', ' ']) {
  await page.keyboard.type(k);
  await page.waitForSelector(`${$('app')}[data-pending="false"]`, { timeout: T });
}
await page.waitForTimeout(500);

const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.start', {
  traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'loading'] },
  transferMode: 'ReportEvents',
});
await cdp.send('Profiler.start');
const measured = [];
const wall0 = Date.now();
for (let i = 0; i < keys; i++) {
  await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
  await page.waitForSelector(`${$('app')}[data-pending="false"]`, { timeout: T });
  measured.push([Number(await page.getAttribute($('app'), 'data-analyze-ms')), Number(await page.getAttribute($('app'), 'data-render-ms'))]);
}
await page.waitForTimeout(300);
const wall = Date.now() - wall0;
const { profile } = await cdp.send('Profiler.stop');
await cdp.send('Tracing.end');
await traced;
await browser.close();
if (cpuprofile) writeFileSync(cpuprofile, JSON.stringify(profile));
if (traceFile) writeFileSync(traceFile, JSON.stringify({ traceEvents: events }));

console.log(`${keys} keystrokes in ${wall} ms; analysis / analysis + render per keystroke (ms): ${measured.map(([a, r]) => `${a}/${r}`).join(', ')}`);

// The trace: top-level events on the renderer's main thread (CrRendererMain), total duration by name.
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
const byName = new Map();
for (const e of onMain) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
console.log('\nmain thread, trace events (inclusive ms; nested events overlap their parents):');
for (const [n, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${ms.toFixed(1).padStart(9)}  ${n}`);

// The sampled profile: self time by function, and inclusive time of each function (once per sample).
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const self = new Map();
const incl = new Map();
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}`;
let total = 0;
for (const [id, ms] of dt) {
  total += ms;
  const n = nodes.get(id);
  self.set(label(n), (self.get(label(n)) ?? 0) + ms);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const l = label(nodes.get(at));
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + ms);
  }
}
const busy = total - (self.get('(idle) ') ?? 0) - (self.get('(program) ') ?? 0);
console.log(`\nsampled: ${total.toFixed(0)} ms, not idle: ${(total - (self.get('(idle) ') ?? 0)).toFixed(0)} ms, in JS/wasm: ${busy.toFixed(0)} ms`);
console.log('\nself time (ms, share of the non-idle time):');
for (const [l, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${ms.toFixed(1).padStart(8)} ${(100 * ms / (total - (self.get('(idle) ') ?? 0))).toFixed(1).padStart(5)}%  ${l}`);
}
console.log('\ninclusive time (ms):');
for (const [l, ms] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms.toFixed(1).padStart(8)}  ${l}`);
