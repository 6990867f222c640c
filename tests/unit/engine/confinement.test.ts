// A process reaches only what a process on a machine of its own would: each known way out is tried from inside
// one (the same probes /engine-check/ tries in a browser), and time and randomness stay virtual however reached.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { PROBES, runSealCheck, type ProbeOutcome } from '../../../src/engine/testing/seal-check.ts';
import type { TracedResponse } from '../../../src/engine/testing/types.ts';
import { dump, runApp } from './helpers.ts';

const host = new NodeHost({ spares: 2 });
afterAll(() => host.dispose());

describe('a process in the Node host is sealed', () => {
  let outcomes: ProbeOutcome[] | undefined;
  const outcome = async (name: string) => {
    outcomes ??= await runSealCheck(host);
    return outcomes.find((candidate) => candidate.name === name)!;
  };

  it.each(PROBES.map((probe) => [probe.name, probe] as const))('%s: refused', async (name, probe) => {
    const { sealed, detail, errorCode } = await outcome(name);
    expect(sealed, detail).toBe(true);
    // Where a learner might try it in earnest, the error names what to use instead, with a stable code.
    if (probe.expectCode) {
      expect(errorCode, detail).toBe(probe.expectCode);
      expect(detail).toMatch(/env\.kv|env\.db|env\.objects|own|kata's own files/);
    }
  });
});

describe('time and randomness are the run\'s, however they are reached', () => {
  const source = `export default {
  fetch() {
    const viaGlobal = globalThis.Date.now();
    const viaFunction = new Function('return Date.now()')();
    const called = Date();
    const parsed = new Date(2020, 0, 1).getFullYear();
    const random = [Math.random(), globalThis.Math.random(), new Function('return Math.random()')()];
    return Response.json({ now: Date.now(), viaGlobal, viaFunction, called, parsed, perf: performance.now(), random });
  },
};`;
  const read = async (seed: number) => {
    let body: Record<string, unknown> = {};
    const { result } = await runApp(host, source, async ({ cluster, client, clock }) => {
      await cluster.start({ web: 1 });
      clock.advance(90_000);
      body = (await client().get('/') as TracedResponse).json() as Record<string, unknown>;
    }, { seed });
    expect(result.status, dump(result)).toBe('pass');
    return body;
  };

  it('Date.now(), globalThis.Date.now(), new Function(...) and performance.now() all read the virtual clock', async () => {
    const body = await read(7);
    expect(body.viaGlobal).toBe(body.now);
    expect(body.viaFunction).toBe(body.now);
    expect(body.perf).toBe(body.now);
    expect(body.parsed).toBe(2020);
  });

  it('Date() called without new gives the time as a string, like the real one', async () => {
    const body = await read(7);
    expect(body.called).toBe(new Date(body.now as number).toString());
  });

  it('Math.random, however reached, replays with the seed', async () => {
    const first = await read(7);
    const again = await read(7);
    const other = await read(8);
    expect(again.random).toEqual(first.random);
    expect(other.random).not.toEqual(first.random);
  });
});

describe('a reused isolate keeps nothing of the generation before', () => {
  it('state left on shared objects (globals, Response, node:path, timers, errors, crypto) is gone after a restart', async () => {
    const own = new NodeHost({ spares: 0 }); // no spare: the restart must wait for the isolate it released
    const source = `import path from 'node:path';
const places: Record<string, any> = {
  globalThis, Response, path, subtle: crypto.subtle,
  timer: (() => { const handle = setTimeout(() => {}, 0); clearTimeout(handle); return Object.getPrototypeOf(handle); })(),
  escape: (() => { try { new BroadcastChannel('x'); } catch (error) { return (error as any).constructor; } })(),
};
export default {
  fetch(request: Request) {
    if (request.method === 'POST') {
      const left: string[] = [];
      for (const [name, place] of Object.entries(places)) {
        try { place.dojoLeftover = name; if (place.dojoLeftover === name) left.push(name); } catch { /* frozen */ }
      }
      return Response.json(left);
    }
    return Response.json(Object.entries(places).filter(([, place]) => place?.dojoLeftover !== undefined).map(([name]) => name));
  },
};`;
    let written: unknown;
    let found: unknown;
    try {
      const { result } = await runApp(own, source, async ({ cluster, client }) => {
        await cluster.start({ web: 1 });
        written = (await client().post('/')).json();
        await cluster.restart('web.1');
        found = (await client().get('/')).json();
      });
      expect(result.status, dump(result)).toBe('pass');
      // A generation may write on its own global; nothing it wrote is there for the next one.
      expect(written).toEqual(['globalThis']);
      expect(found).toEqual([]);
      expect(own.stats, 'the second generation ran in the isolate of the first').toEqual({ started: 1, reused: 1 });
    } finally {
      await own.dispose();
    }
  });

  it('a process killed in the middle of a request leaves its isolate to the next generation, which hears nothing of it', async () => {
    const own = new NodeHost({ spares: 0 }); // no spare: the next generation must wait for the isolate the kill let go
    // POST starts work that outlives the kill: a loop of store writes and a console line, after the answer is cut off.
    const source = `import type { Env } from 'dojo';
let generationMark = Math.random();
export default {
  async fetch(request: Request, env: Env) {
    if (request.method === 'GET') return Response.json({ mark: generationMark, late: await env.kv.get('late') });
    void (async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve();
      console.log('still here after the kill');
      await env.kv.set('late', 'written after the kill');
    })();
    await env.kv.set('started', 'yes');
    return new Response('never sent: the process is killed at this call');
  },
};`;
    let killedAnswer = 0;
    let after: { mark: number; late: string | null } | undefined;
    let before: { mark: number } | undefined;
    try {
      const { result, events } = await runApp(own, source, async ({ cluster, client }) => {
        await cluster.start({ web: 1 });
        before = (await client().get('/')).json() as { mark: number };
        cluster.chaos({ midRequest: 1, atCall: 1 });
        killedAnswer = (await client().post('/')).status;
        cluster.chaos(null);
        await cluster.idle();
        after = (await client().get('/')).json() as { mark: number; late: string | null };
      });
      expect(result.status, dump(result)).toBe('pass');
      expect(killedAnswer).toBe(502);
      expect(after!.late, 'the killed generation wrote nothing after its kill').toBeNull();
      expect(after!.mark).not.toBe(before!.mark);
      expect(events.some((event) => event.kind === 'log' && String((event as { text?: unknown }).text).includes('still here'))).toBe(false);
      expect(own.stats, 'the next generation ran in the isolate of the killed one').toEqual({ started: 1, reused: 1 });
    } finally {
      await own.dispose();
    }
  });
});

describe('what learner code cannot name', () => {
  it('a name starting with __dojo is refused at compile time with its line', async () => {
    const { result } = await runApp(host, "const ok = 1;\nconst __dojo_step = () => {};\nexport default { fetch: () => new Response('x') };", async ({ cluster }) => {
      await cluster.start({ web: 1 });
    });
    expect(result.status).toBe('error');
    expect(result.message).toContain('the name __dojo_step is reserved');
    expect(result.location).toMatchObject({ file: 'app.ts', line: 2, column: 7 });
  });

  it('the text "eval(" in a file is a start-up error that says why, at its line', async () => {
    const { result } = await runApp(host, "const a = 1;\n// we never eval(code)\nexport default { fetch: () => new Response('x') };", async ({ cluster }) => {
      await cluster.start({ web: 1 });
    });
    expect(result.status).toBe('error');
    expect(result.message).toContain('eval() is not available');
    expect(result.location).toMatchObject({ file: 'app.ts', line: 2 });
  });
});
