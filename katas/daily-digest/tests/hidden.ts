// Hidden tests of the daily-digest kata: the visible tests, then the day's sign-ups up to the last
// second, every process restarted just before midnight (and a deploy just after), every process killed
// while the digest is being sent, scaling from one process to three mid-week, and processes killed at
// random for five days.
import { test } from 'dojo/testing';
import samples, { advanceTo, dayName, expectListed, expectOneDigest, HOUR, midnight, MINUTE, outbox, SECOND, signUp } from './sample.ts';

const TIMER_IN_MEMORY =
  'A restart drops a process\'s timers and memory: a timer set when the process started fires at a time that depends on when it last started. ' +
  'When a day\'s digest is due must come from the clock and the shared store (or a job scheduler), not from the process';

export default [
  ...samples,

  test('a digest lists its day\'s sign-ups, up to the last second before midnight', async (ctx) => {
    const { cluster, client, clock, note } = ctx;
    await cluster.start({ web: 2, worker: 1 });
    await advanceTo(clock, midnight(1) + 8 * HOUR);
    await signUp(client, 'ada@example.com');
    await advanceTo(clock, midnight(2) - SECOND);
    await signUp(client, 'bob@example.com');
    note('ada signed up at 08:00 on 1 January, bob at 23:59:59');
    await advanceTo(clock, midnight(2) + 30 * SECOND);
    await signUp(client, 'cy@example.com');
    note('cy signed up just after midnight, on 2 January');
    await advanceTo(clock, midnight(3) + HOUR);
    const mails = await outbox(ctx);
    const words = { happened: 'Two web processes and a worker ran for two days', missing: 'Every day needs its digest, shortly after midnight', twice: 'One digest a day, whatever the number of processes' };
    const first = expectOneDigest(ctx, mails, 1, words);
    expectListed(ctx, first, ['ada@example.com', 'bob@example.com'], 1);
    ctx.expect(first.text, `cy signed up on ${dayName(2)}, yet the digest for ${dayName(1)} lists them: a digest covers the day that has ended, from its first to its last second`).not.toContain('cy@example.com');
    expectListed(ctx, expectOneDigest(ctx, mails, 2, words), ['cy@example.com'], 2);
  }),

  test('a restart just before midnight neither skips the day nor sends it twice', async (ctx) => {
    const { cluster, clock, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    await advanceTo(clock, midnight(2) - 30 * SECOND);
    await cluster.restartAll();
    note('every process restarted at 23:59:30 on 1 January');
    await advanceTo(clock, midnight(2) + HOUR);
    expectOneDigest(ctx, await outbox(ctx), 1, {
      happened: 'Every process restarted at 23:59:30 on 1 January, 30 seconds before the digest was due',
      missing: TIMER_IN_MEMORY,
      twice: 'The restarted processes must not send again what is already sent',
    });

    await advanceTo(clock, midnight(2) + 12 * HOUR);
    await cluster.restart('web.2');
    note('web.2 restarted at noon on 2 January');
    await advanceTo(clock, midnight(3) + SECOND);
    await cluster.deploy();
    note('a new release was deployed at 00:00:01 on 3 January, while the digest was due');
    await advanceTo(clock, midnight(4) + HOUR);
    const mails = await outbox(ctx);
    for (const n of [2, 3]) {
      expectOneDigest(ctx, mails, n, {
        happened: 'web.2 restarted at noon on 2 January, and a new release was deployed (every process restarted) at 00:00:01 on 3 January',
        missing: `${TIMER_IN_MEMORY}. And a deploy stops whichever process is sending the digest: if it doesn't finish, another process must (a claim that expires within minutes and is tried again, or a job the queue hands out again)`,
        twice: `A process that restarted at noon has a timer that fires at noon: one run a day must not depend on when each process started. ${TIMER_IN_MEMORY}`,
      });
    }
  }),

  test('killing every process while the digest is being sent neither skips the day nor sends it twice', async (ctx) => {
    const { cluster, client, clock, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    await advanceTo(clock, midnight(1) + 9 * HOUR);
    await signUp(client, 'ada@example.com');
    // Sending takes the mail provider 2 s: one second after midnight, a digest that started on time is on its way.
    await advanceTo(clock, midnight(2) + SECOND);
    for (const process of cluster.processes()) await cluster.kill(process);
    note('every process was killed at 00:00:01 on 2 January, while the digest was being sent; the platform started them again');
    await advanceTo(clock, midnight(2) + HOUR);
    const killed = 'Every process was killed at 00:00:01 on 2 January, one second into sending the digest (sending takes 2 s)';
    const digest = expectOneDigest(ctx, await outbox(ctx), 1, {
      happened: killed,
      missing:
        'The process that was sending died, and no other process sent the digest after it. Whoever sends may die at any moment: a claim on the day must expire within minutes, ' +
        'some process must try again after that (check every few minutes, not only at midnight), and the day is marked sent only once the email is out. ' +
        'A job queue does this for you: it hands the job of a worker that died to another worker',
      twice: 'One process must send it once the killed one is gone, not several',
    });
    expectListed(ctx, digest, ['ada@example.com'], 1);

    await advanceTo(clock, midnight(3) + HOUR);
    note('another day passed');
    expectOneDigest(ctx, await outbox(ctx), 2, {
      happened: `${killed}; then another day passed`,
      missing: 'A lock taken by the killed process was never released and never expires, so no later day is sent: a lock needs an expiry, shorter than the time you can afford to wait',
      twice: 'One digest a day, whatever the number of processes',
    });
  }),

  test('scaling from one process to three mid-week changes nothing', async (ctx) => {
    const { cluster, clock, note } = ctx;
    await cluster.start({ web: 1, worker: 1 });
    await advanceTo(clock, midnight(3) + 12 * HOUR);
    await cluster.scale({ web: 3, worker: 3 });
    note('at noon on 3 January, the app was scaled to three web processes and three workers');
    await advanceTo(clock, midnight(6) + HOUR);
    const mails = await outbox(ctx);
    for (let n = 1; n <= 5; n++) {
      expectOneDigest(ctx, mails, n, {
        happened: 'One web process and one worker ran from 1 January; at noon on 3 January, the app was scaled to three of each',
        missing: TIMER_IN_MEMORY,
        twice:
          'The processes added at noon sent digests of their own. Whether the day is sent must not depend on how many processes run, which type they are, ' +
          'or when each started (a lock that is not about the day, and expires within minutes, stops only the processes whose timers fire at the same moment)',
      });
    }
  }),

  test('the digest goes out once a day while processes are killed at random', async (ctx) => {
    const { cluster, client, clock, random, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    // Before each sign-up, a seeded 50% chance that a process (web or worker) is killed and started again.
    cluster.chaos({ restart: 0.5, kill: true });
    const signedUp: string[][] = [[]];
    for (let n = 1; n <= 5; n++) {
      // sign-ups at awkward moments: while the last digest is being sent, during the day, a second before midnight
      const moments = [midnight(n) + SECOND, midnight(n) + Math.floor(random() * 23 * HOUR) + MINUTE, midnight(n + 1) - SECOND].sort((a, b) => a - b);
      signedUp[n] = [];
      for (const [i, at] of moments.entries()) {
        await advanceTo(clock, at);
        const email = `user${n}-${i + 1}@example.com`;
        await signUp(client, email);
        signedUp[n]!.push(email);
      }
    }
    cluster.chaos(null);
    note('for five days, three sign-ups a day (one second after midnight, during the day, one second before midnight); before each, a process might be killed');
    await advanceTo(clock, midnight(6) + HOUR);
    const mails = await outbox(ctx);
    for (let n = 1; n <= 5; n++) {
      const digest = expectOneDigest(ctx, mails, n, {
        happened: 'For five days, processes were killed at random (before sign-ups, some one second after midnight while the digest was being sent)',
        missing: 'A process that dies must not take the day with it: the claim (or the job) must come back to another process',
        twice: 'One digest a day, whichever processes died',
      });
      expectListed(ctx, digest, signedUp[n]!, n);
    }
  }),
];
