// Tries every known way out of a process from inside one, on whatever host runs it: the unit tests run it in Node,
// /engine-check/ (and the browser tests) in this browser. A probe returns a truthy value only if it got out.
import type { ProcessHost } from '../process/protocol.ts';
import { runTests } from './runner.ts';
import { test } from './index.ts';

export interface Probe {
  /** what a learner might try, in words */
  name: string;
  /** the body of an async function in the learner's app */
  code: string;
  /** the error code (EscapeError.code) a learner gets, where the attempt deserves a message naming what to use */
  expectCode?: string;
}

export interface ProbeOutcome {
  name: string;
  sealed: boolean;
  /** "refused (DOJO_ESCAPE_PEER): BroadcastChannel is not available: …" or "got out: …" */
  detail: string;
  /** the error code the attempt got, if any */
  errorCode?: string;
}

// Written so that the app's own source never contains the texts SES refuses outright ("import(", "eval(").
const DYNAMIC_IMPORT = "new Function('return imp' + 'ort(\"data:text/javascript,export default 1\")')()";

export const PROBES: readonly Probe[] = [
  { name: 'fetch a same-origin URL', code: "return (await fetch('/')).status;", expectCode: 'DOJO_ESCAPE_NETWORK' },
  { name: 'fetch another origin', code: "return (await fetch('https://example.com/')).status;", expectCode: 'DOJO_ESCAPE_NETWORK' },
  { name: 'XMLHttpRequest', code: 'return new XMLHttpRequest();', expectCode: 'DOJO_ESCAPE_NETWORK' },
  { name: 'WebSocket', code: "return new WebSocket('ws://localhost:1/');", expectCode: 'DOJO_ESCAPE_NETWORK' },
  { name: 'EventSource', code: "return new EventSource('/');", expectCode: 'DOJO_ESCAPE_NETWORK' },
  { name: 'BroadcastChannel to the other processes', code: "new BroadcastChannel('dojo').postMessage('hi'); return true;", expectCode: 'DOJO_ESCAPE_PEER' },
  { name: 'MessageChannel', code: 'return new MessageChannel();', expectCode: 'DOJO_ESCAPE_PEER' },
  { name: 'SharedWorker', code: "return new SharedWorker('data:,');", expectCode: 'DOJO_ESCAPE_PEER' },
  { name: 'Worker', code: "return new Worker('data:,');", expectCode: 'DOJO_ESCAPE_PEER' },
  { name: 'postMessage to the host', code: "postMessage({ t: 'response', id: 1 }); return true;", expectCode: 'DOJO_ESCAPE_PEER' },
  { name: 'importScripts', code: "importScripts('/x.js'); return true;", expectCode: 'DOJO_ESCAPE_CODE_LOADING' },
  { name: 'IndexedDB (the learner\'s saved code)', code: "return indexedDB.open('keyval-store');", expectCode: 'DOJO_ESCAPE_STORAGE' },
  { name: 'Cache Storage', code: "return await caches.keys();", expectCode: 'DOJO_ESCAPE_STORAGE' },
  { name: 'localStorage', code: "return localStorage.getItem('x') ?? true;", expectCode: 'DOJO_ESCAPE_STORAGE' },
  { name: 'dynamic import of a URL', code: `return await ${DYNAMIC_IMPORT};` },
  { name: 'the host global through the Function constructor', code: "return (function () {}).constructor('return this')();" },
  { name: 'the host global through an async function\'s constructor', code: "return (async function () {}).constructor('return this')();" },
  { name: 'the host global through a Response\'s constructor chain', code: "return Response.constructor('return this')();" },
  { name: 'the host process through indirect eval', code: "return (0, globalThis['ev' + 'al'])('globalThis.process').versions;" },
  { name: 'the host process through new Function', code: "return new Function('return typeof require === \"function\" || process.versions')();" },
  { name: 'process.getBuiltinModule', code: "return process.getBuiltinModule('fs').readFileSync('/etc/passwd', 'utf8');", expectCode: 'DOJO_ESCAPE_HOST' },
  { name: 'process.binding', code: "return process.binding('fs');", expectCode: 'DOJO_ESCAPE_HOST' },
  { name: 'signals to other programs', code: 'return process.kill(1);', expectCode: 'DOJO_ESCAPE_HOST' },
  { name: 'the environment of whoever runs the tests', code: 'return Object.keys(process.env).length > 0 && process.env;' },
  { name: 'require the real file system', code: "return require('fs').readFileSync('/etc/passwd', 'utf8');" },
  { name: 'require child_process', code: "return require('child_process');", expectCode: 'DOJO_ESCAPE_HOST' },
  { name: 'require worker_threads', code: "return require('worker_threads');", expectCode: 'DOJO_ESCAPE_PEER' },
  { name: 'require net', code: "return require('node:net');", expectCode: 'DOJO_ESCAPE_NETWORK' },
  { name: 'stack frames that hand out functions', code: "Error.prepareStackTrace = (_e, frames) => frames.map((f) => f.getFunction?.()); const stack = new Error('x').stack; return Array.isArray(stack) && stack.some(Boolean);" },
  { name: 'changing a shared built-in (prototype pollution)', code: "Object.prototype.polluted = 'yes'; return ({}).polluted === 'yes';" },
  { name: 'real time behind the virtual clock', code: "return new Function('return Date.now()')() !== Date.now() || globalThis.Date.now() !== Date.now() || typeof Date() !== 'string';" },
];

/** The probe app: GET /<index> runs probe <index> and answers what happened. */
export function probeApp(): string {
  const bodies = PROBES.map((probe) => `  async () => { ${probe.code} },`).join('\n');
  return `const probes = [\n${bodies}\n];
export default {
  async fetch(request: Request) {
    const index = Number(new URL(request.url).pathname.slice(1));
    try {
      const value = await probes[index]();
      return Response.json({ got: Boolean(value), detail: String(value) });
    } catch (error) {
      const e = error as { name?: string; message?: string; code?: string };
      return Response.json({ got: false, detail: String(e?.name) + ': ' + String(e?.message), code: e?.code });
    }
  },
};`;
}

/** Run every probe in one process of `host`; each probe's outcome, in PROBES order. */
export async function runSealCheck(host: ProcessHost): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  const report = await runTests({
    host,
    files: { 'app.ts': probeApp() },
    processes: { web: 'app.ts' },
    seed: 1,
    tests: [test('every way out is closed', async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      for (const [index, probe] of PROBES.entries()) {
        const response = await browser.get(`/${index}`);
        if (response.status !== 200) {
          // The process crashed or was stopped trying: it did not get out, but it did not get a clear answer either.
          outcomes.push({ name: probe.name, sealed: true, detail: `the process ended: ${response.text()}` });
          continue;
        }
        const { got, detail, code } = response.json() as { got: boolean; detail: string; code?: string };
        outcomes.push({
          name: probe.name,
          sealed: !got,
          detail: got ? `got out: ${detail}` : `refused${code ? ` (${code})` : ''}: ${detail}`,
          ...(code ? { errorCode: code } : {}),
        });
      }
    })],
  });
  const result = report.results[0];
  if (result?.status !== 'pass') throw new Error(`the seal check could not run: ${result?.message ?? 'no result'}`);
  return outcomes;
}
