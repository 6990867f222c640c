// The interactive cluster lessons use: requests answered by named processes, restarts that wipe memory, balancer choice.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { loadKata } from '../../../src/engine/kata/load-node.ts';
import { LiveSession, parseRequest } from '../../../src/engine/testing/live-session.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

describe('a live session', () => {
  it("of the visit counter's starter shows the count going wrong once a process restarts", async () => {
    const kata = await loadKata('visit-counter');
    const session = new LiveSession({ host, files: kata.starter, processes: kata.meta.processes, count: 2 });
    try {
      const started = await session.start();
      expect(started.processes.map((process) => process.name)).toEqual(['web.1', 'web.2']);
      session.balance('round-robin');
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await session.send('GET /'));
      // Round-robin over two processes: each counts alone.
      expect(answers.map((answer) => [answer.servedBy, JSON.parse(answer.body).visits])).toEqual([['web.1', 1], ['web.2', 1], ['web.1', 2], ['web.2', 2]]);
      const after = await session.restart('web.1');
      expect(after.processes.find((process) => process.name === 'web.1')!.generation).toBe(2);
      const next = await session.send('GET /');
      expect([next.servedBy, next.generation, JSON.parse(next.body).visits]).toEqual(['web.1', 2, 1]);
      expect(session.state().events.some((event) => event.kind === 'stop' && event.process === 'web.1')).toBe(true);
    } finally {
      await session.dispose();
    }
  });

  it("of the visit counter's solution keeps counting through restarts and kills", async () => {
    const kata = await loadKata('visit-counter');
    const session = new LiveSession({ host, files: kata.solution, processes: kata.meta.processes, count: 3 });
    try {
      await session.start();
      await session.send('GET /');
      await session.kill('web.2');
      await session.restart('web.1');
      await session.send('GET /');
      expect(JSON.parse((await session.send('GET /')).body).visits).toBe(3);
    } finally {
      await session.dispose();
    }
  });
});

describe('request specs', () => {
  it('read a method, a path and an optional form, JSON or picture', () => {
    expect(parseRequest('GET /visits')).toEqual({ method: 'GET', path: '/visits', options: {} });
    expect(parseRequest('POST /login form user=ada')).toEqual({ method: 'POST', path: '/login', options: { form: { user: 'ada' } } });
    expect(parseRequest('POST /x json {"a": 1}').options).toEqual({ json: { a: 1 } });
    const picture = parseRequest('POST /avatar/ada picture avatar').options.multipart!.avatar as { type: string; data: Uint8Array };
    expect(picture.type).toBe('image/png');
    expect([...picture.data.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it('read a text file for a form field, its content percent-encoded', () => {
    expect(parseRequest('POST /lists/team/import file file team.csv text/csv name,email%0AAda%20L,ada@example.com').options).toEqual({
      multipart: { file: { name: 'team.csv', type: 'text/csv', data: 'name,email\nAda L,ada@example.com' } },
    });
  });
});
