// `npm run lighthouse`: Lighthouse's performance and accessibility scores (mobile, its defaults) for a lesson page and
// kata pages of the built site, printed as a table (figures, not tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium as playwright } from '@playwright/test';
import { findChromium } from '../tests/e2e/browser.ts';
import { startPreview } from './preview.ts';

/**
 * Run through npx, pinned, rather than a devDependency: it is a measurement a maintainer takes now and then, and its
 * 114 packages would otherwise be installed by every clone and every CI run.
 */
const LIGHTHOUSE = 'lighthouse@13.5.0';
const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 4393);
/** Lighthouse's own advice: scores vary from run to run (more so on a shared machine), so report the median of several. */
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const PAGES = (process.argv.slice(2).length ? process.argv.slice(2) : ['/lessons/one-or-more-processes/', '/katas/visit-counter/', '/katas/sessions/']);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

interface Scores { performance: number; accessibility: number; tbt: number; lcp: number }

function audit(url: string, chromium: string): Scores {
  const folder = mkdtempSync(join(tmpdir(), 'dojo-lighthouse-'));
  try {
    const out = join(folder, 'report.json');
    const run = spawnSync('npx', ['--yes', LIGHTHOUSE, url, '--quiet', '--output=json', `--output-path=${out}`,
      '--only-categories=performance,accessibility', `--chrome-flags=--headless=new --no-sandbox`], {
      stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHROME_PATH: chromium },
    });
    if (run.status !== 0 || !existsSync(out)) throw new Error(`lighthouse failed on ${url} (exit ${run.status})`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      categories: Record<string, { score: number }>;
      audits: Record<string, { numericValue?: number }>;
    };
    return {
      performance: Math.round(report.categories.performance!.score * 100),
      accessibility: Math.round(report.categories.accessibility!.score * 100),
      tbt: Math.round(report.audits['total-blocking-time']?.numericValue ?? 0),
      lcp: Math.round(report.audits['largest-contentful-paint']?.numericValue ?? 0),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}


// Debian's Chromium, or Playwright's own (findChromium says how to install one if neither is there).
const chromium = findChromium() ?? playwright.executablePath();
const stop = await startPreview(PORT);
try {
  console.log(`Lighthouse (${LIGHTHOUSE}, mobile defaults), median of ${RUNS} runs per page, load average before: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(['page', 'performance', 'accessibility', 'total blocking time', 'largest contentful paint'].join('\t'));
  for (const page of PAGES) {
    const runs = Array.from({ length: RUNS }, () => audit(`http://localhost:${PORT}${page}`, chromium));
    const mid = (pick: (scores: Scores) => number) => median(runs.map(pick));
    console.log([page.padEnd(34), mid((s) => s.performance), mid((s) => s.accessibility), `${mid((s) => s.tbt)} ms`, `${mid((s) => s.lcp)} ms`,
      `(performance per run: ${runs.map((s) => s.performance).join(', ')})`].join('\t'));
  }
} finally {
  stop();
}
