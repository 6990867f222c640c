// Visible tests of the asset-pipeline kata: every page's stylesheet and script load, whichever process served the
// page, and no process compiles them (the build step does, once per release). The hidden tests run these too, then
// check the names across restarts and deploys, a page left open through a deploy, and no process running at all.
import { test, workDone, type Client, type Cluster, type Expect, type StampedEvent, type TracedResponse } from 'dojo/testing';

/** The lesson that teaches this, for the failure messages. */
export const LESSON = 'the lesson "Compile assets in the build stage"';

/** A fingerprinted name: a hex hash of the file's content before its extension (shop.1a2b3c4d.css). */
export const FINGERPRINTED = /[.-][0-9a-f]{8,64}\.(css|js)$/;

/**
 * Steps of its own code a web process may run in a whole test, start-up included: rendering a page costs about five,
 * reading a manifest one; compiling the stylesheet alone costs thousands, every time it is done.
 */
export const WORK_LIMIT = 1000;

/**
 * What pipeline.ts's compileAssets makes with the default accent colour, by hash of the content (FNV-1a, as
 * pipeline.ts's `fingerprint` computes it): the files a page gets must be the pipeline's output, whoever names them.
 */
export const COMPILED = { css: '7787579d', js: '14b63dbe' };

/** FNV-1a over the text, 8 hex digits: the same hash pipeline.ts's `fingerprint` makes. */
export function contentHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export interface PageAssets {
  css: string;
  js: string;
}

/** The stylesheet and the script a page names ('(none)' when it names none). */
export function assetsOf(page: TracedResponse): PageAssets {
  const html = page.text();
  return {
    css: /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? '(none)',
    js: /<script src="([^"]+)"/.exec(html)?.[1] ?? '(none)',
  };
}

/** "web.2 (generation 1)" */
export const who = (res: TracedResponse) => `${res.servedBy} (generation ${res.generation})`;

/** Loads the page once on every live web process (the balancer must be round-robin). */
export async function pageFromEveryProcess(cluster: Cluster, browser: Client): Promise<TracedResponse[]> {
  const pages: TracedResponse[] = [];
  for (let i = 0; i < cluster.processes('web').length; i++) pages.push(await browser.get('/', { retry: 3 }));
  return pages;
}

/**
 * Fails unless no process generation did the build's work: each ran fewer than WORK_LIMIT steps of code, start-up and
 * requests together. Work is counted, never timed: the same on any machine.
 */
export function expectNoCompilingInProcesses(events: readonly StampedEvent[], expect: Expect): void {
  const done = workDone(events);
  const builds = Object.entries(done.builds).map(([release, steps]) => `release ${release}'s build ran ${steps} steps`);
  for (const generation of done.processes) {
    expect(
      generation.total,
      `${generation.process} (generation ${generation.generation}) ran ${generation.total} steps of code (${generation.start} starting up, ` +
        `${generation.requests} answering requests), where a page that names its files costs about five: it compiled the stylesheet ` +
        `or the script itself. Every process, each time it starts, pays for work the build step can do once per release ` +
        `(${builds.join('; ') || 'no build ran'}), and a file compiled at run time exists only on the disk or in the memory of the process ` +
        `that made it. Compile in build.ts; processes only read the manifest it writes (${LESSON})`,
    ).toBeLessThan(WORK_LIMIT);
  }
}

export default [
  test("every page's stylesheet and script load, whichever process served the page", async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    for (const page of await pageFromEveryProcess(cluster, browser)) {
      expect(page.status, `GET / on ${who(page)}`).toBe(200);
      const { css, js } = assetsOf(page);
      const stylesheet = await browser.get(css);
      expect(stylesheet.status, `the page from ${who(page)} names the stylesheet ${css}; asking for it was answered by ${stylesheet.servedBy}`).toBe(200);
      expect(
        contentHash(stylesheet.text()),
        `${css} should be the stylesheet pipeline.ts's compileAssets makes (keep pipeline.ts as it is); it says: ${stylesheet.text().slice(0, 80)}`,
      ).toBe(COMPILED.css);
      const script = await browser.get(js);
      expect(script.status, `the page from ${who(page)} names the script ${js}; asking for it was answered by ${script.servedBy}`).toBe(200);
      expect(
        contentHash(script.text()),
        `${js} should be the script pipeline.ts's compileAssets makes (keep pipeline.ts as it is); it says: ${script.text().slice(0, 80)}`,
      ).toBe(COMPILED.js);
    }
  }),

  test('no process compiles the assets: the build step does, once per release', async ({ cluster, client, trace, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    for (const page of await pageFromEveryProcess(cluster, browser)) {
      const { css, js } = assetsOf(page);
      await browser.get(css);
      await browser.get(js);
    }
    expectNoCompilingInProcesses(trace.events, expect);
  }),
];
