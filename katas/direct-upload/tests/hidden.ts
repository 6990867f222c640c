// Hidden tests of the direct upload kata: the visible tests of sample.ts (a file sent to the upload URL is listed and
// downloads intact; no app process touches its bytes), then an upload must survive a restart between its steps, the
// upload URL must allow only the declared file (its key, its type, at most 5 MB) and stop working after 15 minutes,
// the server must pick every key, a completion must be checked against the store, and random kills must not matter.
import { test } from 'dojo/testing';
import samples, { complete, download, expectDownload, listed, makeFile, sameBytes, sendFile, startUpload, upload } from './sample.ts';

const MINUTE = 60_000;
const MB = 1024 * 1024;

export default [
  ...samples,

  test('an upload started on one process can be completed on another, after a restart', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const ada = client();
    const slides = makeFile('slides.pdf', 20_000, 3);
    const { id, uploadUrl, response } = await startUpload(expect, ada, 'ada', slides);
    await cluster.restartAll();
    note('every process restarted between handing out the upload URL and the upload');
    const story = `${response.servedBy} handed ada an upload URL, then every process restarted`;
    const sent = await sendFile(ada, uploadUrl, slides);
    expect(sent.ok, `${story}; sending slides.pdf to the URL answered ${sent.status} ${sent.text().slice(0, 100)} (from ${sent.servedBy})`).toBe(true);
    const done = await complete(ada, 'ada', id);
    expect(
      done.status,
      `${story}; ada sent the file, then ${done.servedBy} (generation ${done.generation}) answered her "complete" with ${done.status} ${done.text().slice(0, 100)}: ` +
        'what the app knows about an upload in progress must be in a backing service, where any process finds it',
    ).toBe(201);
    await expectDownload(expect, ada, 'ada', id, slides, `${story}; ada then finished her upload`);
  }),

  test('the upload URL allows only its own file: that key, the declared type, at most 5 MB', async ({ cluster, client, expect, fail, services, note }) => {
    await cluster.start({ web: 2 });
    const ada = client();
    const report = makeFile('report.pdf', 5000, 4);

    const tooBig = await ada.post('/users/ada/uploads', { json: { filename: 'huge.pdf', contentType: 'application/pdf', size: 6 * MB } });
    expect(tooBig.status, `ada asked for an upload URL for a 6 MB file; ${tooBig.servedBy} answered ${tooBig.status} ${tooBig.text().slice(0, 80)}`).toBe(413);
    const page = await ada.post('/users/ada/uploads', { json: { filename: 'page.html', contentType: 'text/html', size: 100 } });
    expect(page.status, `ada asked for an upload URL for an HTML page; ${page.servedBy} answered ${page.status} ${page.text().slice(0, 80)}`).toBe(415);

    const { id, uploadUrl } = await startUpload(expect, ada, 'ada', report);
    note(`ada got an upload URL for report.pdf (application/pdf, 5000 bytes): ${uploadUrl}`);

    const html = { name: 'report.pdf', type: 'text/html', data: new TextEncoder().encode('<html><script>stealCookies()</script></html>') };
    const asPage = await sendFile(ada, uploadUrl, html);
    if (asPage.ok) {
      fail(
        `ada's upload URL was made for a PDF, yet it let her store an HTML page (text/html; ${asPage.servedBy} answered ${asPage.status}). ` +
          "Served from your storage, that page runs its scripts in every reader's browser. Sign the declared content type into the URL, so the store refuses any other.",
      );
    }

    const huge = makeFile('report.pdf', 5 * MB + 1, 5);
    const overLimit = await sendFile(ada, uploadUrl, huge);
    if (overLimit.ok) {
      fail(
        `ada's upload URL let her store 5 MB and 1 byte, over the 5 MB limit (${overLimit.servedBy} answered ${overLimit.status}). ` +
          'A URL without a size limit lets anyone who holds it fill your bucket at your expense: sign the limit (maxBytes) into it.',
      );
    }

    const elsewhere = new URL(uploadUrl, 'http://app.local');
    elsewhere.pathname = elsewhere.pathname.replace(/[^/]+$/, 'someone-elses-file');
    const moved = await sendFile(ada, elsewhere.href, report);
    if (moved.ok) {
      fail(
        `ada changed the key in her upload URL (to ${elsewhere.pathname}) and ${moved.servedBy} still took the file (${moved.status}): ` +
          'an upload URL must allow that one key only, so nobody can write where the app did not choose',
      );
    }

    const stored = await services.objects.list();
    expect(
      stored.map((object) => `${object.key} (${object.contentType}, ${object.size} bytes)`),
      'ada tried to upload an HTML page, a file over 5 MB and a file under another key with her upload URL; all must be refused, so the store must hold nothing yet',
    ).toEqual([]);

    const sent = await sendFile(ada, uploadUrl, report);
    expect(sent.ok, `after those refusals, ada sent the right PDF to her upload URL; ${sent.servedBy} answered ${sent.status} ${sent.text().slice(0, 80)}`).toBe(true);
    const done = await complete(ada, 'ada', id);
    expect(done.status, `ada completed her upload of report.pdf; ${done.servedBy} answered ${done.status} ${done.text().slice(0, 80)}`).toBe(201);
    await expectDownload(expect, ada, 'ada', id, report, 'ada uploaded report.pdf after three refused attempts');
  }),

  test('an upload URL stops working after 15 minutes', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 2 });
    const ada = client();
    const notes = makeFile('notes.pdf', 5000, 6);
    const { id, uploadUrl, response } = await startUpload(expect, ada, 'ada', notes);
    await clock.advance(15 * MINUTE + 1000);
    const late = await sendFile(ada, uploadUrl, notes);
    expect(
      late.ok,
      `${response.servedBy} handed ada an upload URL 15 minutes and 1 second ago, and it still let her upload (${late.servedBy} answered ${late.status}). ` +
        'An upload URL is a key to your bucket: one that leaks (a log, a proxy, browser history) works for as long as it lives. Make it expire within 15 minutes (expiresIn).',
    ).toBe(false);
    const done = await complete(ada, 'ada', id);
    expect(done.ok, `ada's late upload was refused, but ${done.servedBy} answered her "complete" with ${done.status} ${done.text().slice(0, 80)}`).toBe(false);
    note('ada asks for a new upload URL');
    const fresh = await upload(expect, ada, 'ada', notes);
    await expectDownload(expect, ada, 'ada', fresh, notes, 'ada uploaded notes.pdf with a fresh upload URL');
  }),

  test('each upload gets a key of its own, whatever the file is called', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    const ada = client();
    const bob = client();
    const eve = client();
    const adaFirst = makeFile('report.pdf', 4000, 7);
    const bobs = makeFile('report.pdf', 4000, 8);
    const adaSecond = makeFile('report.pdf', 4000, 9);

    const first = await upload(expect, ada, 'ada', adaFirst);
    const bobsId = await upload(expect, bob, 'bob', bobs);
    const second = await upload(expect, ada, 'ada', adaSecond);
    const overwritten = (res: { bytes(): Uint8Array }, other: Uint8Array) => sameBytes(res.bytes(), other);

    const adaOne = await download(ada, 'ada', first);
    if (overwritten(adaOne, adaSecond.data)) {
      fail(
        "ada uploaded two different files, both named report.pdf; downloading the first gave the second's bytes: the second upload overwrote the first. " +
          'A key built from the file name (which the browser chooses) collides; let the server pick a new key for every upload.',
      );
    }
    if (overwritten(adaOne, bobs.data)) {
      fail("ada and bob each uploaded a file named report.pdf; downloading ada's gave bob's bytes: bob's upload overwrote hers. Let the server pick a new key for every upload.");
    }
    await expectDownload(expect, ada, 'ada', first, adaFirst, 'ada uploaded report.pdf, bob uploaded his own report.pdf, then ada another report.pdf');
    await expectDownload(expect, ada, 'ada', second, adaSecond, 'ada uploaded report.pdf twice, two different files');
    await expectDownload(expect, bob, 'bob', bobsId, bobs, 'ada and bob both uploaded files named report.pdf');

    // A name with a path in it: the browser chooses it, so it must not decide where the file goes.
    const sneaky = makeFile('../bob/report.pdf', 4000, 10);
    const { id: eveId, uploadUrl } = await startUpload(expect, eve, 'eve', sneaky);
    const sent = await sendFile(eve, uploadUrl, sneaky);
    if (!sent.ok) {
      fail(
        `eve's file is named "../bob/report.pdf"; sending it to the upload URL the app gave her (${uploadUrl.slice(0, 120)}) answered ${sent.status} ${sent.text().slice(0, 100)}. ` +
          'The key came from the file name, and a name with ../ in it points somewhere else; let the server pick the key.',
      );
    }
    const done = await complete(eve, 'eve', eveId);
    expect(done.status, `eve sent her file named ../bob/report.pdf and completed the upload; ${done.servedBy} answered ${done.status} ${done.text().slice(0, 80)}`).toBe(201);
    await expectDownload(expect, eve, 'eve', eveId, sneaky, 'eve uploaded a file named ../bob/report.pdf');
    await expectDownload(expect, bob, 'bob', bobsId, bobs, 'bob uploaded report.pdf, then eve uploaded a file named ../bob/report.pdf');

    const peek = await download(bob, 'bob', first);
    expect(peek.status, `bob asked for ada's file ${first} under his own name; ${peek.servedBy} answered ${peek.status}: a user's files are theirs only`).toBe(404);
  }),

  test('completing an upload that never reached the store is refused', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    const ada = client();
    const invoice = makeFile('invoice.pdf', 5000, 11);
    const { id, uploadUrl } = await startUpload(expect, ada, 'ada', invoice);
    const early = await complete(ada, 'ada', id);
    expect(
      early.status,
      `ada said her upload was complete before sending anything; ${early.servedBy} answered ${early.status} ${early.text().slice(0, 80)}. ` +
        "The browser's word is no proof: ask the store (head) whether the file is there",
    ).toBe(409);
    const files = await listed(expect, ada, 'ada');
    expect(files.map((file) => file.id), 'nothing was uploaded yet, so ada has no files').toEqual([]);
    const sent = await sendFile(ada, uploadUrl, invoice);
    expect(sent.ok, `ada then sent invoice.pdf to her upload URL; ${sent.servedBy} answered ${sent.status} ${sent.text().slice(0, 80)}`).toBe(true);
    const done = await complete(ada, 'ada', id);
    expect(done.status, `ada sent invoice.pdf, then completed her upload; ${done.servedBy} answered ${done.status} ${done.text().slice(0, 80)}`).toBe(201);
    await expectDownload(expect, ada, 'ada', id, invoice, 'ada uploaded invoice.pdf');
  }),

  test('uploads complete while processes are killed at random', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    // Before each request, a seeded 50% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.5, kill: true });
    const uploads: [string, ReturnType<typeof makeFile>, string][] = [];
    for (const [i, user] of ['ada', 'bob', 'cy'].entries()) {
      const browser = client();
      const file = makeFile(`${user}.png`, 8000, 20 + i, 'image/png');
      uploads.push([user, file, await upload(expect, browser, user, file)]);
    }
    const viewer = client();
    for (const [user, file, id] of uploads) {
      await expectDownload(expect, viewer, user, id, file, `${user} uploaded ${file.name} while processes were being killed at random`);
    }
  }),
];
