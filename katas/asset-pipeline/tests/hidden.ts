// Hidden tests of the asset-pipeline kata: the visible tests, then the names pages give their files (the same on
// every process, across restarts; new only when the content is new), a page left open through a deploy, the files
// answered with no process running, a process's disk after serving pages, and all of it under random kills.
import { test, type TracedResponse } from 'dojo/testing';
import samples, { assetsOf, expectNoCompilingInProcesses, FINGERPRINTED, LESSON, pageFromEveryProcess, who, type PageAssets } from './sample.ts';

const HOUR = 60 * 60 * 1000;
const NEW_ACCENT = '#1864ab';

const both = (assets: PageAssets) => `${assets.css} and ${assets.js}`;
const short = (res: TracedResponse) => `${res.status} from ${res.servedBy}: ${res.text().slice(0, 60)}`;

export default [
  ...samples,

  test('every process names the same fingerprinted files, across restarts and hours later', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    const first = await browser.get('/');
    const expected = assetsOf(first);
    for (const name of [expected.css, expected.js]) {
      expect(
        FINGERPRINTED.test(name),
        `the page from ${who(first)} names ${name}: a file browsers may keep needs a name made from a hash of its content ` +
          `(shop.1a2b3c4d.css), so that new content gets a new name and old pages keep the file they named (${LESSON})`,
      ).toBe(true);
    }
    const check = async (when: string) => {
      for (const page of await pageFromEveryProcess(cluster, browser)) {
        expect(
          both(assetsOf(page)),
          `${when}, the page from ${who(page)} names other files than the page from ${who(first)}: a name made in a process ` +
            `(its start time, a random number, its own compilation) differs from process to process and from one start to the next. ` +
            `Name each file once, in the build step, after its content, and let every process read the name from the manifest (${LESSON})`,
        ).toBe(both(expected));
      }
    };
    await check('at first');
    await clock.advance(2 * HOUR);
    note('two hours later, web.2 is restarted and web.3 is killed');
    await cluster.restart('web.2');
    await cluster.kill('web.3');
    await check('after a restart and a kill, two hours later');
  }),

  test('a changed file gets a new name, and an unchanged file keeps its name', async ({ cluster, client, clock, services, expect, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const before = assetsOf(await browser.get('/'));
    await clock.advance(HOUR);
    await services.kv.set('theme:accent', NEW_ACCENT);
    note(`the theme's accent colour is now ${NEW_ACCENT}; a new release is deployed`);
    await cluster.deploy();
    const page = await browser.get('/');
    const after = assetsOf(page);
    const stylesheet = await browser.get(after.css);
    expect(
      stylesheet.text().includes(NEW_ACCENT),
      `after the deploy, the page from ${who(page)} names ${after.css}, which holds the old colours (${short(stylesheet)}). ` +
        `Browsers keep a fingerprinted file for a year, so a file whose content changes must get a new name: make the name from a hash of the content (${LESSON})`,
    ).toBe(true);
    expect(
      after.css !== before.css,
      `the stylesheet changed (new accent colour) but is still called ${after.css}: a browser that has it keeps the old one, for a year. ` +
        `Make each name from a hash of that file's content (${LESSON})`,
    ).toBe(true);
    expect(
      after.js,
      `the script did not change in this deploy, but its name did: every visitor downloads it again after each deploy. ` +
        `A name made from the build's time, a release number or the whole bundle changes when nothing did; make each name from a hash of that file's content (${LESSON})`,
    ).toBe(before.js);
    await clock.advance(HOUR);
    note('a second deploy, with nothing changed');
    await cluster.deploy();
    const again = assetsOf(await browser.get('/'));
    expect(
      both(again),
      `nothing changed in the second deploy, yet the files got new names: every visitor downloads them again after each deploy. Make each name from a hash of that file's content (${LESSON})`,
    ).toBe(both(after));
  }),

  test('a page from the old release still gets its own assets after a deploy', async ({ cluster, client, services, expect, note }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const oldPage = await browser.get('/');
    const old = assetsOf(oldPage);
    const oldCss = (await browser.get(old.css)).text();
    const oldJs = (await browser.get(old.js)).text();
    await services.kv.set('theme:accent', NEW_ACCENT);
    note(`the theme's accent colour is now ${NEW_ACCENT}; a new release is deployed while the old page is still open`);
    // While the deploy rolls through the processes, the open page asks for its files: whichever release runs where.
    const rolling = cluster.deploy();
    const during = await Promise.all([browser.get(old.css), browser.get(old.js)]);
    await rolling;
    for (const [file, was] of [[during[0], oldCss], [during[1], oldJs]] as const) {
      expect(
        `${file.status} ${file.text() === was ? 'the file it named' : 'another file'}`,
        `during the rolling deploy, a page rendered by ${who(oldPage)} asked for ${file === during[0] ? old.css : old.js} and got ${short(file)} (${LESSON})`,
      ).toBe('200 the file it named');
    }
    // The old page, still open in a browser tab, loads its files (again, or for the first time on a new tab).
    for (let visit = 1; visit <= 3; visit++) {
      const stylesheet = await browser.get(old.css);
      expect(
        `${stylesheet.status} ${stylesheet.text() === oldCss ? 'the old stylesheet' : 'another stylesheet'}`,
        `a page rendered by ${who(oldPage)} before the deploy names ${old.css}; after the deploy it got ${short(stylesheet)}. ` +
          `A page of the old release must get the files it named: under a name made from their content, the platform keeps the old release's files next to the new ones (${LESSON})`,
      ).toBe('200 the old stylesheet');
      const script = await browser.get(old.js);
      expect(
        `${script.status} ${script.text() === oldJs ? 'the old script' : 'another script'}`,
        `a page rendered by ${who(oldPage)} before the deploy names ${old.js}; after the deploy it got ${short(script)} (${LESSON})`,
      ).toBe('200 the old script');
    }
    const fresh = assetsOf(await browser.get('/'));
    const newCss = await browser.get(fresh.css);
    expect(newCss.text().includes(NEW_ACCENT), `a page of the new release names ${fresh.css}: ${short(newCss)}`).toBe(true);
  }),

  test('the assets are answered while no process runs', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const page = await browser.get('/');
    const { css, js } = assetsOf(page);
    for (const name of [css, js]) {
      const file = await browser.get(name);
      expect(
        file.servedBy,
        `${name} was answered by ${file.servedBy} (${file.status}): the app serves its own files, so each process spends its requests on them, ` +
          `and they are gone while it restarts. Write them under /app/public/ in the build step: the platform serves those itself (${LESSON})`,
      ).toBe('assets');
    }
    note('every web process is stopped (a deploy that went wrong, a scale to zero)');
    await cluster.scale({ web: 0 });
    for (const name of [css, js]) {
      const file = await browser.get(name);
      expect(
        `${file.status} from ${file.servedBy}`,
        `with no process running, ${name}, named by a page a browser still shows, was answered ${short(file)}. ` +
          `Files the build step writes under /app/public/ are served by the platform, process or not (${LESSON})`,
      ).toBe('200 from assets');
    }
  }),

  test("serving pages leaves nothing on a process's disk", async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const fresh = (await cluster.disk('web.1')).files();
    const browser = client();
    for (const page of await pageFromEveryProcess(cluster, browser)) {
      const { css, js } = assetsOf(page);
      await browser.get(css);
      await browser.get(js);
    }
    for (const process of cluster.processes('web')) {
      const files = (await cluster.disk(process)).files();
      const added = files.filter((file) => !fresh.includes(file));
      expect(
        added,
        `after serving pages, ${process.name}'s disk holds files it did not start with: a process's disk is wiped at every restart and ` +
          `no other process sees it, so compiled files cached there are made again and again. Compile in the build step (${LESSON})`,
      ).toEqual([]);
    }
  }),

  test('pages and their assets load while processes are killed and restarted at random', async ({ cluster, client, trace, expect, note }) => {
    await cluster.start({ web: 3 });
    // Before each request, a seeded 30% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.3, kill: true });
    note('processes are killed at random before requests');
    const browsers = [client(), client(), client()];
    let named: string | undefined;
    for (let round = 1; round <= 4; round++) {
      for (const browser of browsers) {
        const page = await browser.get('/', { retry: 3 });
        expect(page.status, `round ${round}: GET / was answered ${short(page)}`).toBe(200);
        const assets = assetsOf(page);
        named ??= both(assets);
        expect(
          both(assets),
          `round ${round}: while processes were killed and restarted, the page from ${who(page)} names other files than the first page did: ` +
            `names must not depend on which process, or which start of it, rendered the page (${LESSON})`,
        ).toBe(named);
        for (const name of [assets.css, assets.js]) {
          const file = await browser.get(name);
          expect(`${file.status} from ${file.servedBy}`, `round ${round}: ${name}, named by the page from ${who(page)}, was answered ${short(file)} (${LESSON})`).toBe('200 from assets');
        }
      }
    }
    cluster.chaos(null);
    expectNoCompilingInProcesses(trace.events, expect);
  }),
];
