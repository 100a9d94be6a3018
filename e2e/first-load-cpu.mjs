// The first load's main-thread CPU time (docs/performance.md, "First load"): each run in a fresh chromium, the
// builds alternating run by run, a trace of the renderer's main thread from navigation until the `\d users`
// title is painted (Element Timing). Prints, per build, the medians and every run's value of: when the title
// was painted (ms since navigation), the main thread's CPU time (thread time of its tasks) and wall time until
// then, the CPU time of style recalculation, layout and paint in it, and the page's element count at the end.
// CPU time tells builds apart on a busy machine, where wall times of the same build spread by 2x and more.
//   node e2e/first-load-cpu.mjs URL [URL...] [--runs N]
import { chromium } from 'playwright-core';
const args = process.argv.slice(2);
const at = args.indexOf('--runs'); const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 5;
const rows = Object.fromEntries(args.map((u) => [u, []]));
for (let i = 0; i < runs; i++) for (const url of args) {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  const ctx = await b.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await ctx.newPage();
  const cdp = await ctx.newCDPSession(p);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'] }, transferMode: 'ReportEvents' });
  await p.goto(url);
  await p.waitForSelector('[data-testid="describe-title"]:text-is(\'Table "public.users"\')');
  const painted = await p.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((l) => { const e = l.getEntries().find((x) => x.identifier === 'describe-title'); if (e) resolve(e.renderTime); }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(null), 5000);
  }));
  const elements = await p.evaluate(() => document.querySelectorAll('*').length);
  await cdp.send('Tracing.end'); await done; await b.close();
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'ParseHTML'));
  const nav = events.find((e) => e.name === 'navigationStart' && e.pid === main.pid) ?? events.find((e) => e.name === 'navigationStart');
  const limit = nav.ts + painted * 1000;
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.ts >= nav.ts && e.ts <= limit);
  const top = mine.filter((e) => e.name === 'RunTask');
  const sum = (xs, f) => xs.reduce((a, e) => a + (f(e) ?? 0), 0) / 1000;
  const by = (n) => sum(mine.filter((e) => e.name === n), (e) => e.tdur);
  rows[url].push({ painted: Math.round(painted), cpu: Math.round(sum(top, (e) => e.tdur)), wall: Math.round(sum(top, (e) => e.dur)), style: Math.round(by('UpdateLayoutTree')), layout: Math.round(by('Layout')), paint: Math.round(by('Paint') + by('PrePaint')), elements });
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [u, rs] of Object.entries(rows)) {
  console.log(u);
  for (const k of Object.keys(rs[0])) console.log(`  ${k.padEnd(9)} ${String(med(rs.map((r) => r[k]))).padStart(6)}   (${rs.map((r) => r[k]).join(', ')})`);
}
