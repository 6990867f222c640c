// The store's commands type-check in the kata editor as a learner writes them: the `dojo` types document each one.
import { describe, expect, it } from 'vitest';
import { TypeScriptWorker, type MirrorModel } from 'monaco-editor/languages/features/typescript/tsWorker';
import { COMPILER_OPTIONS, EXTRA_LIBS, appFileUri } from '../../../src/workbench/editor-typescript.ts';

let models: MirrorModel[] = [];
let version = 0;
const worker = new TypeScriptWorker(
  { getMirrorModels: () => models },
  { compilerOptions: COMPILER_OPTIONS, extraLibs: Object.fromEntries(EXTRA_LIBS.map(({ filePath, content }) => [filePath, { content, version: 1 }])) },
);

/** The editor's type errors in one app file, as `TS<code> <message>`. */
async function typeErrors(app: string): Promise<string[]> {
  version += 1;
  const uri = appFileUri('app.ts');
  models = [{ uri: { path: new URL(uri).pathname, toString: () => uri }, version, getValue: () => app }];
  const diagnostics = [...(await worker.getSyntacticDiagnostics(uri)), ...(await worker.getSemanticDiagnostics(uri))];
  return diagnostics
    .filter((d) => d.category === 1)
    .map((d) => `TS${d.code} ${typeof d.messageText === 'string' ? d.messageText : d.messageText.messageText}`);
}

const header = "import type { Env, ScoredMember, StreamRead } from 'dojo';\n";

describe('the learner types of env.kv', () => {
  it('a worker with a processing list, a rate limiter and a stream consumer type-check', async () => {
    const app = `${header}
export async function work(env: Env): Promise<void> {
  const job: string | null = await env.kv.lmove('jobs', 'jobs:processing', 'LEFT', 'RIGHT');
  if (job !== null) await env.kv.lrem('jobs:processing', 1, job);
  await env.kv.rpoplpush('jobs:processing', 'jobs');
  await env.kv.ltrim('events', 0, 99);
  const first: string | null = await env.kv.lindex('events', 0);
  const token: string | null = await env.kv.getdel('token:' + first);
  const old: string | null = await env.kv.set('k', 'v', { GET: true, KEEPTTL: true });
  const ok: 'OK' | null = await env.kv.set('lock', 'me', { NX: true, PX: 30_000 });
  const values: (string | null)[] = await env.kv.mget('a', 'b');
  await env.kv.mset({ a: 1, b: 'two' });
  await env.kv.sadd('online', 'ada');
  const here: number = await env.kv.sismember('online', 'ada');
  const who: string[] = await env.kv.smembers('online');
  const now = Date.now();
  await env.kv.zremrangebyscore('rl', '-inf', now - 60_000);
  await env.kv.zadd('rl', now, 'req-1');
  await env.kv.zadd('rl', { 'req-2': now });
  const count: number = await env.kv.zcard('rl');
  const oldest: ScoredMember[] = await env.kv.zrange('rl', 0, 0, { WITHSCORES: true });
  const recent: string[] = await env.kv.zrange('rl', '(' + (now - 1000), '+inf', { BYSCORE: true, LIMIT: { offset: 0, count: 10 } });
  const inWindow: string[] = await env.kv.zrangebyscore('rl', now - 1000, now);
  const score: number | null = await env.kv.zscore('rl', 'req-1');
  const id: string = await env.kv.xadd('chat', '*', { user: 'ada', text: 'hi' }, { MAXLEN: 1000 });
  const read: StreamRead[] | null = await env.kv.xread({ chat: (await env.kv.get('cursor')) ?? '0' }, { COUNT: 10 });
  for (const entry of read?.[0]?.entries ?? []) await env.kv.set('cursor', entry.id + entry.fields.text);
  const history = await env.kv.xrange('chat', '-', '+', { COUNT: 5 });
  const len: number = (await env.kv.xlen('chat')) + (await env.kv.xtrim('chat', { MAXLEN: 10 }));
  const listeners: number = await env.kv.publish('news', 'hello');
  console.log(token, old, ok, values, here, who, count, oldest[0]?.score, recent, inWindow, score, id, history, len, listeners);
}
`;
    expect(await typeErrors(app)).toEqual([]);
  });

  it('flags what Redis would refuse or what the answer is not', async () => {
    const app = `${header}
export async function wrong(env: Env): Promise<void> {
  const members: string[] = await env.kv.zrange('rl', 0, -1, { WITHSCORES: true });
  await env.kv.lmove('a', 'b', 'UP', 'RIGHT');
  console.log(members);
}
`;
    const errors = await typeErrors(app);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/ScoredMember\[\]' is not assignable to type 'string\[\]'/);
    expect(errors[1]).toMatch(/"UP"' is not assignable to parameter of type 'ListEnd'/);
  });
});
