// The sandboxed half of `test` and `grade` (started by sandbox.ts): grades one learner's copy, sends the report over IPC.
import { NodeHost } from '../engine/hosts/node/host.ts';
import { loadKata, readFolder } from '../engine/kata/load-node.ts';
import { formatReport, toJsonReport } from '../engine/kata/report.ts';
import { runTests, type RunReport } from '../engine/testing/runner.ts';
import { platformOf } from '../engine/kata/platform.ts';
import type { ChildMessage, Job } from './sandbox.ts';

if (!process.send) {
  console.error('sandbox-child.ts is started by the kata CLI (npm run kata -- test | grade), not by hand');
  process.exit(2);
}

/** One message, then the channel closes: the parent takes no second report. */
function send(message: ChildMessage): void {
  process.send?.(message, undefined, undefined, () => process.disconnect?.());
}

try {
  const job = JSON.parse(process.argv[2] ?? '') as Job;
  const kata = await loadKata(job.slug);
  const files = await readFolder(job.dir);
  // A fresh host per learner: nothing one learner's processes did is left for the next.
  const host = new NodeHost();
  let report: RunReport;
  try {
    report = await runTests({
      host, files, ...platformOf(kata.meta),
      tests: job.sample ? kata.sample : kata.hidden, seed: job.seed, only: job.only,
    });
  } finally {
    await host.dispose();
  }
  const replay = job.replay;
  send({
    kind: 'report',
    json: toJsonReport(job.slug, report),
    text: formatReport(job.slug, report, replay ? (seed) => `${replay} --seed ${seed}` : undefined),
  });
} catch (error) {
  send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
}
