// `npm run bench`: the engine's speed per kata and host, and the kata page's, printed as tables (figures, not tests).
import { startPreview } from './preview.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { NodeHost } from '../src/engine/hosts/node/host.ts';
import { listKatas, loadKata } from '../src/engine/kata/load-node.ts';
import { runTests } from '../src/engine/testing/runner.ts';
import { throughputTest, type Throughput } from '../src/engine/testing/throughput.ts';
import { CHROMIUM_ARGS, findChromium } from '../tests/e2e/browser.ts';
import type { RunReport } from '../src/engine/testing/runner.ts';
import { platformOf } from '../src/engine/kata/platform.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 10);
const REQUESTS = 300;
// BENCH_PORT: several checkouts on one machine can each bench without taking one another's server.
const PORT = Number(process.env.BENCH_PORT ?? 4391);
/**
 * BENCH_SW: the kata page with its service worker allowed (as a learner's browser has it, the default), blocked, or
 * "both": alternately blocked and allowed (B A B A…, BENCH_SW_ROUNDS pairs), so that a shared machine whose load
 * drifts weighs on both conditions alike. The service worker saves the whole site for offline use on a first visit.
 */
const SW_MODE = process.env.BENCH_SW ?? 'allow';
const SW_ROUNDS = Number(process.env.BENCH_SW_ROUNDS ?? 2);
if (!['allow', 'block', 'both'].includes(SW_MODE)) throw new Error(`BENCH_SW is allow, block or both, not ${SW_MODE}`);
const swConditions = (): Array<'allow' | 'block'> =>
  SW_MODE === 'both' ? Array.from({ length: SW_ROUNDS }, () => ['block', 'allow'] as const).flat() : [SW_MODE as 'allow' | 'block'];
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const startTimes = (report: RunReport) =>
  report.results.flatMap((result) => result.events.flatMap((event) => (event.kind === 'start' && event.startMs !== undefined ? [event.startMs] : [])));
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

interface Row { kata: string; host: string; suite: number; start: number; rps: number; tests: number }

async function benchNode(slugs: string[]): Promise<Row[]> {
  const host = new NodeHost();
  await host.warm();
  const rows: Row[] = [];
  for (const slug of slugs) {
    const kata = await loadKata(slug);
    const options = { host, files: kata.solution, ...platformOf(kata.meta), tests: kata.hidden };
    await runTests({ ...options, seed: 0 }); // warm-up run, not counted
    const durations: number[] = [];
    const starts: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const report = await runTests({ ...options, seed: run });
      if (report.status !== 'pass') throw new Error(`${slug}: the solution failed on the Node host (seed ${run})`);
      durations.push(report.durationMs);
      starts.push(...startTimes(report));
    }
    let figures: Throughput | undefined;
    await runTests({ ...options, tests: [throughputTest(REQUESTS, (f) => (figures = f))], seed: 1 });
    rows.push({ kata: slug, host: 'node', suite: median(durations), start: median(starts), rps: figures?.perSecond ?? 0, tests: kata.hidden.length });
  }
  await host.dispose();
  return rows;
}

interface BrowserEngine {
  run(request: { slug: string; files: Record<string, string>; seed: number; suite: 'hidden' }): Promise<RunReport>;
  bench(slug: string, files: Record<string, string>, requests: number): Promise<Throughput>;
}

async function benchBrowser(page: Page, slugs: string[]): Promise<Row[]> {
  await page.goto(`http://localhost:${PORT}/engine-check/`);
  const rows: Row[] = [];
  for (const slug of slugs) {
    const kata = await loadKata(slug);
    const result = await page.evaluate(async ({ slug, files, runs, requests }) => {
      const engine = (window as unknown as { dojoEngine: BrowserEngine }).dojoEngine;
      await engine.run({ slug, files, seed: 0, suite: 'hidden' }); // warm-up
      const reports: RunReport[] = [];
      for (let seed = 1; seed <= runs; seed++) reports.push(await engine.run({ slug, files, seed, suite: 'hidden' }));
      const throughput = await engine.bench(slug, files, requests);
      return { reports: reports.map((report) => ({ ...report, results: report.results.map((r) => ({ ...r, events: r.events.filter((e) => e.kind === 'start') })) })), throughput };
    }, { slug, files: kata.solution, runs: RUNS, requests: REQUESTS });
    if (result.reports.some((report) => report.status !== 'pass')) throw new Error(`${slug}: the solution failed in the browser host`);
    rows.push({
      kata: slug, host: 'browser', tests: kata.hidden.length,
      suite: median(result.reports.map((report) => report.durationMs)),
      start: median(result.reports.flatMap(startTimes)),
      rps: result.throughput.perSecond,
    });
  }
  return rows;
}

/** Click "Run tests" and wait for the results: the time a learner waits. */
/** The engine's worker scripts (supervisor, processes): started once the page is idle, off the main thread. */
const isWorkerScript = (url: string) => /\.worker-[\w-]+\.js(\?|$)/.test(new URL(url).pathname);

/** How many files the service worker has saved for offline use so far (0 with none, or with it blocked). */
const savedOffline = (page: Page) => page.evaluate(async () => {
  let files = 0;
  for (const name of await caches.keys()) files += (await (await caches.open(name)).keys()).length;
  return files;
});

async function benchKataPage(page: Page, slug: string): Promise<{ clickToResults: number; before: number; workers: number; blockingCss: number; editor: number; savedDuringRuns: number }> {
  const loaded = new Set<string>();
  const listener = (response: { url(): string }) => {
    if (/\.m?js(\?|$)/.test(response.url())) loaded.add(response.url());
  };
  page.on('response', listener);
  await page.goto(`http://localhost:${PORT}/katas/${slug}/`);
  await page.locator('[data-workbench][data-ready=true]').waitFor();
  await page.waitForLoadState('networkidle');
  // Before any click: the page's own JavaScript, and the workers it warms once idle (counted apart).
  const before = new Set([...loaded].filter((url) => !isWorkerScript(url)));
  const workers = new Set([...loaded].filter(isWorkerScript));
  // Stylesheets that hold up the first paint: every linked one, except those deferred with media="print".
  const blockingCss = await page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')]
    .filter((link) => link.media !== 'print').map((link) => link.href));
  const times: number[] = [];
  let savedBefore = 0;
  for (let run = 0; run <= PAGE_RUNS; run++) {
    if (run === 1) savedBefore = await savedOffline(page);
    // Timed inside the page, from the click to the summary showing the verdict (Playwright's own waits poll
    // every 100-1000 ms, which would swamp the figure).
    const ms = await page.evaluate(() => new Promise<number>((resolve) => {
      const summary = document.querySelector<HTMLElement>('[data-summary]')!;
      summary.removeAttribute('data-state');
      const observer = new MutationObserver(() => {
        if (summary.dataset.state === 'pass' || summary.dataset.state === 'fail') {
          observer.disconnect();
          resolve(performance.now() - started);
        }
      });
      observer.observe(summary, { attributes: true, attributeFilter: ['data-state'] });
      const started = performance.now();
      document.querySelector<HTMLButtonElement>('[data-run]')!.click();
    }));
    if (run > 0) times.push(ms); // the first run warms the workers
  }
  // Files the service worker saved while the timed runs went on: the download competing with them.
  const savedDuringRuns = (await savedOffline(page)) - savedBefore;
  // What the editor costs: everything loaded from focusing the editor until Monaco and its TypeScript worker are up.
  const beforeEditor = new Set(loaded); // after the runs: the workers have certainly started by now
  const typescriptWorker = page.waitForResponse((response) => /ts\.worker/.test(response.url()), { timeout: 60_000 });
  await page.getByRole('textbox', { name: /Code of/ }).focus();
  await page.locator('[data-workbench][data-editor=monaco]').waitFor({ timeout: 60_000 });
  await typescriptWorker;
  await page.waitForLoadState('networkidle');
  page.off('response', listener);
  const size = (urls: Iterable<string>) => [...urls].reduce((total, url) => total + gzSize(url), 0);
  return {
    clickToResults: median(times),
    before: size(before),
    workers: size(workers),
    blockingCss: size(blockingCss),
    editor: size([...loaded].filter((url) => !beforeEditor.has(url))),
    savedDuringRuns,
  };
}

function gzSize(url: string): number {
  const path = `dist${new URL(url).pathname}`;
  return existsSync(path) ? gzipSync(readFileSync(path), { level: 9 }).byteLength : 0;
}


async function main(): Promise<void> {
  // `npm run bench -- orders thumbnails`: only these katas (every kata takes minutes of its own on two cores).
  const wanted = process.argv.slice(2);
  const all = await listKatas();
  const unknown = wanted.filter((slug) => !all.includes(slug));
  if (unknown.length) throw new Error(`no kata named ${unknown.join(', ')} (there are: ${all.join(', ')})`);
  const slugs = wanted.length ? all.filter((slug) => wanted.includes(slug)) : all;
  console.log(`Stateless Dojo benchmark: ${RUNS} runs per kata and host (median), ${REQUESTS} requests for throughput, solutions as the learner code\n`);

  // BENCH_PAGE_ONLY=1: only the kata and lesson pages' figures (the engine tables take minutes of their own).
  const pageOnly = process.env.BENCH_PAGE_ONLY === '1';
  const nodeRows = pageOnly ? [] : await benchNode(slugs);
  const stop = await startPreview(PORT);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const browserRows = pageOnly ? [] : await benchBrowser(page, slugs);
    if (!pageOnly) {
      console.log('Engine: full hidden suite, process start, requests per second through the balancer');
      console.log(['kata', 'host', 'tests', 'suite (median)', 'process start (median)', 'req/s'].join('\t'));
    }
    for (const row of [...nodeRows, ...browserRows]) {
      console.log([row.kata.padEnd(14), row.host.padEnd(7), row.tests, ms(row.suite).padStart(8), ms(row.start).padStart(8), row.rps].join('\t'));
    }
    console.log('\nKata page (headless Chromium): click "Run tests" → results shown, median of', PAGE_RUNS, 'runs; JavaScript gzipped');
    console.log(`service worker: ${SW_MODE}${SW_MODE === 'both' ? ` (${SW_ROUNDS} rounds, alternating)` : ''}; load average (1, 5, 15 min) before: ${load()}`);
    console.log(['kata', 'service worker', 'click → results', 'JS before the editor is used (page)', '(engine workers, once idle)', 'render-blocking CSS', 'lazy editor', 'files saved offline during the runs', 'load (1 min)'].join('\t'));
    for (const slug of slugs) {
      for (const serviceWorkers of swConditions()) {
        // A new context each time: nothing cached, as for a learner's first visit.
        const context = await browser.newContext({ serviceWorkers });
        const figures = await benchKataPage(await context.newPage(), slug);
        await context.close();
        console.log([slug.padEnd(14), serviceWorkers.padEnd(5), ms(figures.clickToResults).padStart(8), kb(figures.before).padStart(10), kb(figures.workers).padStart(10), kb(figures.blockingCss).padStart(10), kb(figures.editor).padStart(10), String(figures.savedDuringRuns).padStart(5), loadavg()[0]!.toFixed(2)].join('\t'));
      }
    }
    console.log(`load average (1, 5, 15 min) after: ${load()}`);
    const lessonJs = readdirSync('dist/lessons').length > 0 ? await lessonPageJs(page) : 0;
    console.log(`\nLesson page JavaScript, inline and loaded (gzipped): ${kb(lessonJs)}`);
  } finally {
    await browser.close();
    stop();
  }
}

async function lessonPageJs(page: Page): Promise<number> {
  const urls: string[] = [];
  page.on('response', (response) => {
    if (/\.m?js(\?|$)/.test(response.url())) urls.push(response.url());
  });
  await page.goto(`http://localhost:${PORT}/lessons/one-or-more-processes/`);
  await page.waitForLoadState('networkidle');
  // Small scripts are inlined into the page by Astro: count them too.
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((script) => script.textContent ?? ''));
  const inlineBytes = inline.reduce((total, code) => total + gzipSync(code, { level: 9 }).byteLength, 0);
  return urls.reduce((total, url) => total + gzSize(url), inlineBytes);
}

await main();
