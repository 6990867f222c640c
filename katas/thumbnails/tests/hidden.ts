// Hidden tests of the thumbnails kata: the visible tests, then what work kept in a web process cannot survive
// (the web process killed right after answering), web and worker processes scaled apart (no worker at all, then
// some), which process type made each thumbnail, workers killed in the middle of a job or right after it, a job
// the queue delivers twice, and processes killed at random.
import { test, type StampedEvent } from 'dojo/testing';
import samples, { expectThumbnail, MINUTE, photo, thumbnailPuts, upload, usage } from './sample.ts';

/** "web.1, web.2": the processes that stored a thumbnail but are not workers. */
function webMakers(events: readonly StampedEvent[]): string[] {
  return [...new Set(thumbnailPuts(events).map((put) => put.process).filter((name) => !name.startsWith('worker.')))];
}

export default [
  ...samples,

  test('no thumbnail is made in a web process', async ({ cluster, client, clock, expect, trace, fail }) => {
    await cluster.start({ web: 2, worker: 2 });
    cluster.balance('round-robin');
    const browser = client();
    const photos = [1, 2, 3, 4].map((salt) => photo(10_000 + salt * 1000, 10 + salt));
    const ids: string[] = [];
    for (const bytes of photos) ids.push((await upload(browser, expect, bytes)).id);
    await clock.advance(MINUTE);
    for (const [i, id] of ids.entries()) await expectThumbnail(browser, expect, id, photos[i]!, `photo ${i + 1} of 4 was uploaded a minute ago (two web and two worker processes run)`);
    const makers = webMakers(trace.events);
    if (makers.length > 0) {
      fail(`${makers.join(' and ')} stored thumbnails: a web process did the slow work itself. Web processes answer requests; the thumbnail is a job for a worker process (enqueue it with env.queue, handle it in worker.ts)`);
    }
    const working = trace.events.filter((event) => event.kind === 'timer' && event.action === 'fire' && event.file === 'thumbnail.ts' && !event.process.startsWith('worker.'));
    if (working.length > 0) fail(`${working[0]!.kind === 'timer' ? working[0]!.process : 'a web process'} ran makeThumbnail (thumbnail.ts): the slow work belongs in a worker process, not in a web process`);
  }),

  test('a photo uploaded just before its web process is killed still gets its thumbnail', async ({ cluster, client, expect, clock, note }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    const bytes = photo(20_000, 20);
    const { res, id } = await upload(browser, expect, bytes);
    await cluster.kill(res.servedBy);
    note(`${res.servedBy} was killed right after it answered the upload (a crash, an out-of-memory kill)`);
    await cluster.scale({ worker: 1 });
    await cluster.idle();
    await clock.advance(MINUTE);
    const story = `a photo was uploaded to ${res.servedBy}, which was killed right after answering; then a worker started and a minute passed. Work promised in a web process's memory (a timer, a list) dies with it: put the job in the queue before answering`;
    await expectThumbnail(browser, expect, id, bytes, story);
    expect(await usage(browser), `${story}; GET /usage must count the thumbnail once`).toBe(1);
  }),

  test('with no worker running, uploads are answered and their jobs wait; workers started later make every thumbnail', async ({ cluster, client, clock, expect, services, note, trace, fail }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const photos = [1, 2, 3].map((salt) => photo(15_000, 30 + salt));
    const ids: string[] = [];
    for (const bytes of photos) ids.push((await upload(browser, expect, bytes, 'a photo (no worker is running)')).id);
    await clock.advance(MINUTE);
    note('a minute passed with no worker running');
    for (const id of ids) {
      if (await services.objects.head(`thumbnails/${id}`)) {
        const by = thumbnailPuts(trace.events, id)[0]?.process ?? 'a process';
        fail(`no worker was running, yet ${by} made the thumbnail of photo ${id}: web processes must only answer, so that web and workers can be scaled apart (and a busy web process isn't slowed down by thumbnails)`);
      }
    }
    const waiting = services.queue.jobs().filter((job) => job.state === 'waiting').length;
    expect(waiting, 'three photos were uploaded while no worker ran: their three jobs must wait in the queue (env.queue) for a worker').toBe(3);

    await cluster.scale({ worker: 2 });
    note('two workers started');
    await cluster.idle();
    for (const [i, id] of ids.entries()) await expectThumbnail(browser, expect, id, photos[i]!, `photo ${i + 1} of 3 was uploaded while no worker ran; then two workers started`);
    expect(await usage(browser), 'three photos got their thumbnails once each').toBe(3);

    await cluster.scale({ web: 3, worker: 0 });
    note('three web processes, no worker');
    const more = [photo(12_000, 41), photo(12_000, 42)];
    const moreIds: string[] = [];
    for (const bytes of more) moreIds.push((await upload(browser, expect, bytes, 'a photo (no worker is running)')).id);
    await cluster.scale({ worker: 1 });
    await cluster.idle();
    for (const [i, id] of moreIds.entries()) await expectThumbnail(browser, expect, id, more[i]!, `photo ${i + 4} was uploaded to one of three web processes while no worker ran; then one worker started`);
    expect(await usage(browser), 'five photos got their thumbnails once each').toBe(5);
  }),

  test('a job whose worker is killed in the middle of it is done when it comes back, and billed once', async ({ cluster, client, clock, expect, services, trace, note, fail }) => {
    await cluster.start({ web: 2, worker: 2 });
    const browser = client();
    // Every job handed out while this is on kills its worker, at one of its calls or just before it finishes.
    cluster.chaos({ midJob: 1 });
    const photos = [1, 2, 3, 4].map((salt) => photo(10_000, 50 + salt));
    const ids: string[] = [];
    for (const bytes of photos) ids.push((await upload(browser, expect, bytes)).id);
    await cluster.idle();
    cluster.chaos(null);
    const kills = trace.events.filter((event) => event.kind === 'kill' && event.cause === 'chaos-mid-job').length;
    if (kills === 0) fail('four photos were uploaded, yet no job was handed to a worker: the thumbnails must be jobs in the queue (env.queue), handled by worker.ts');
    note(`${kills} workers were killed while working on a job; their jobs come back once the queue's 30 s visibility time-out runs out`);
    await clock.advance(MINUTE);
    for (const [i, id] of ids.entries()) {
      await expectThumbnail(browser, expect, id, photos[i]!, `photo ${i + 1} of 4: its worker was killed in the middle of the job, and a minute passed`);
    }
    const unfinished = services.queue.jobs().filter((job) => job.state !== 'done');
    expect(unfinished.map((job) => `${job.id}: ${job.state}`), 'every job must be done a minute after its worker was killed').toEqual([]);
    expect(await usage(browser), 'workers were killed in the middle of jobs that then ran again: each of the four photos must be billed once, however many times its job ran').toBe(4);
  }),

  test('a photo is billed once even when its job runs twice', async ({ cluster, client, expect, services, note, fail }) => {
    await cluster.start({ web: 1, worker: 2 });
    const browser = client();
    const photos = [photo(20_000, 60), photo(15_000, 61)];
    const ids: string[] = [];
    for (const bytes of photos) ids.push((await upload(browser, expect, bytes)).id);
    await cluster.idle();
    const done = services.queue.jobs().filter((job) => job.state === 'done');
    if (done.length === 0) fail('two photos were uploaded and two workers ran, yet the queue holds no finished job: each thumbnail must be a job in env.queue, handled by worker.ts');
    for (const job of done) services.queue.redeliver(job.id);
    note(`the queue delivered ${done.length} finished jobs once more, as at-least-once queues sometimes do (an acknowledgement lost on the way, a job thought stalled)`);
    await cluster.idle();
    const story = 'two photos were uploaded, and the queue delivered each one\'s job twice, as a queue may: delivery is at least once, not exactly once';
    for (const [i, id] of ids.entries()) await expectThumbnail(browser, expect, id, photos[i]!, `${story} (photo ${i + 1})`);
    expect(await usage(browser), `${story}. The handler must be safe to run twice: billing must count photos, not runs`).toBe(2);
  }),

  test('a thumbnail is made even if its worker is killed as soon as the queue says the job is done', async ({ cluster, client, clock, expect, services, note }) => {
    await cluster.start({ web: 1, worker: 1 });
    const browser = client();
    const bytes = photo(20_000, 70);
    const { id } = await upload(browser, expect, bytes);
    await cluster.idle();
    const states = services.queue.jobs().map((job) => job.state);
    for (const worker of cluster.processes('worker')) await cluster.kill(worker);
    note(`the queue's jobs were ${states.join(', ') || 'none'}; then every worker was killed`);
    await clock.advance(MINUTE);
    await expectThumbnail(browser, expect, id, bytes, `the queue said the photo's job was ${states[0] ?? 'missing'} (its handler had returned); then the worker was killed and a minute passed. A job is acknowledged when queue() returns: work still left in the worker's memory then (an array, a promise not awaited) is lost with the worker`);
  }),

  test('thumbnails survive processes being killed at random', async ({ cluster, client, clock, expect }) => {
    await cluster.start({ web: 2, worker: 2 });
    const browser = client();
    // Before each upload, a seeded chance that a process (web or worker) is killed, and that a job's worker is killed in the middle of it.
    cluster.chaos({ restart: 0.5, kill: true, midJob: 0.5 });
    const photos = [1, 2, 3, 4, 5, 6].map((salt) => photo(8_000 + salt * 500, 80 + salt));
    const ids: string[] = [];
    for (const bytes of photos) ids.push((await upload(browser, expect, bytes)).id);
    await cluster.idle();
    cluster.chaos(null);
    await clock.advance(2 * MINUTE);
    for (const [i, id] of ids.entries()) await expectThumbnail(browser, expect, id, photos[i]!, `photo ${i + 1} of 6 was uploaded while processes were killed at random, two minutes ago`);
    expect(await usage(browser), 'six photos were uploaded while processes were killed at random: each must be billed once').toBe(6);
  }),
];
