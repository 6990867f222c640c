// Hidden tests of the avatar upload kata: the visible tests of sample.ts (an avatar uploaded to one
// process is served, byte for byte and with its content type, by every process; a file that is not
// an image is refused), then an avatar must survive restarts and deploys, a new upload must replace
// it everywhere, every image type must keep its type, an unknown user has no avatar, and a file
// over 1 MB is refused.
import { test, type TracedResponse } from 'dojo/testing';
import samples, { expectServed, picture, sameBytes, upload } from './sample.ts';

export default [
  ...samples,

  test('an avatar survives restarts and deploys', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    const png = picture('png', 3000, 2);
    const up = await upload(browser, 'ada', png);
    expect(up.status, `${up.servedBy} answered ada's upload with ${up.text().slice(0, 80)}`).toBe(201);
    const before = await browser.get('/avatar/ada');
    expectServed(expect, before, png, `ada's avatar was uploaded to ${up.servedBy}`);

    await cluster.restartAll();
    note('every process restarted');
    const afterRestart = await browser.get('/avatar/ada');
    expectServed(
      expect,
      afterRestart,
      png,
      `ada's avatar was uploaded to ${up.servedBy}, then every process restarted (${afterRestart.servedBy} is now generation ${afterRestart.generation})`,
    );

    await cluster.deploy();
    note('a new release was deployed');
    const afterDeploy = await browser.get('/avatar/ada');
    expectServed(expect, afterDeploy, png, `ada's avatar was uploaded before a new release was deployed`);
  }),

  test('a new upload replaces the old avatar everywhere', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // the two uploads land on different processes
    const browser = client();
    const oldPng = picture('png', 3000, 3);
    const newJpeg = picture('jpeg', 2500, 4);

    const first = await upload(browser, 'ada', oldPng);
    expect(first.status, `${first.servedBy} answered ada's first upload with ${first.text().slice(0, 80)}`).toBe(201);
    for (let i = 1; i <= 3; i++) {
      const res = await browser.get('/avatar/ada');
      expectServed(expect, res, oldPng, `ada uploaded a PNG to ${first.servedBy}`);
    }

    const second = await upload(browser, 'ada', newJpeg);
    expect(second.status, `${second.servedBy} answered ada's second upload with ${second.text().slice(0, 80)}`).toBe(201);
    for (let i = 1; i <= 3; i++) {
      const res = await browser.get('/avatar/ada');
      const story = `ada uploaded a PNG to ${first.servedBy}, then replaced it with a JPEG on ${second.servedBy}`;
      if (res.status === 200 && sameBytes(res.bytes(), oldPng.data)) fail(`${story}, yet ${res.servedBy} still served the old PNG`);
      expectServed(expect, res, newJpeg, story);
    }
  }),

  test('each avatar is served with the type it was uploaded with', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const files = { ada: picture('jpeg', 2000, 5), bob: picture('webp', 2000, 6), cy: picture('gif', 2000, 7) };
    const uploads: Record<string, TracedResponse> = {};
    for (const [user, file] of Object.entries(files)) {
      const up = await upload(client(), user, file);
      expect(up.status, `${up.servedBy} answered ${user}'s ${file.type} upload with ${up.text().slice(0, 80)}`).toBe(201);
      uploads[user] = up;
    }
    const viewer = client();
    for (const [user, file] of Object.entries(files)) {
      for (let i = 1; i <= 2; i++) {
        const res = await viewer.get(`/avatar/${user}`);
        expectServed(expect, res, file, `${user} uploaded an avatar of type ${file.type} to ${uploads[user]!.servedBy}`, user);
      }
    }
  }),

  test('an unknown user has no avatar', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const browser = client();
    const up = await upload(browser, 'ada', picture('png', 1000, 8));
    expect(up.status, `${up.servedBy} answered ada's upload`).toBe(201);
    for (const user of ['nobody', 'nobody', 'ada2']) {
      const res = await browser.get(`/avatar/${user}`);
      expect(res.status, `nobody uploaded an avatar for ${user}; ${res.servedBy} answered GET /avatar/${user}`).toBe(404);
    }
  }),

  test('a file over 1 MB is refused with 413', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    const fits = picture('png', 900 * 1024, 9);
    const ok = await upload(browser, 'ada', fits);
    expect(ok.status, `ada uploaded a 900 KB PNG, under the 1 MB limit; ${ok.servedBy} answered ${ok.text().slice(0, 80)}`).toBe(201);
    const huge = picture('png', 1024 * 1024 + 1, 10);
    const res = await upload(browser, 'ada', huge);
    expect(res.status, `ada uploaded a PNG of 1 MB and 1 byte; ${res.servedBy} answered ${res.text().slice(0, 80)}`).toBe(413);
    const get = await browser.get('/avatar/ada');
    expectServed(expect, get, fits, `ada's 900 KB avatar was accepted and her 1 MB + 1 byte one refused`);
  }),

  test('an avatar survives processes being killed at random', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    const png = picture('png', 3000, 7);
    const up = await upload(client(), 'ada', png);
    expect(up.status, `${up.servedBy} answered ada's upload with ${up.text().slice(0, 80)}`).toBe(201);
    // Before each request, a seeded 40% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.4, kill: true });
    const viewer = client();
    for (let i = 1; i <= 6; i++) {
      const res = await viewer.get('/avatar/ada');
      expectServed(expect, res, png, `ada's avatar was uploaded to ${up.servedBy}, then processes were killed at random (request ${i})`);
    }
  }),
];
