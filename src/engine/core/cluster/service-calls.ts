// Backing-service calls from processes: served from the run's services, traced, answered only to the generation that asked.
import type { FromProcess, ToProcess } from '../../process/protocol.ts';
import { isServiceMethod } from '../../services/methods.ts';
import { MAX_VALUE_CHARS, summarize, type Trace } from '../trace.ts';

export type ServiceTable = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/** Who made a call, and how to answer it (or not, once the generation that asked has ended). */
export interface Caller {
  process: string;
  generation: number;
  /** the request it was made for, when the process had exactly one in flight */
  requestId?: number;
  /** answer the call, unless the generation that made it has ended */
  reply(message: Extract<ToProcess, { t: 'return' }>): void;
  /** the call is answered (its waiting time was the service's, not the process's) */
  answered(): void;
}

export function serveCall(services: ServiceTable, trace: Trace, caller: Caller, message: Extract<FromProcess, { t: 'call' }>): void {
  const { cid, service, method, args } = message;
  const { process, generation, requestId } = caller;
  // The one-line summary keeps the timeline readable; what was stored is kept in full beside it when it was clipped.
  const record = (outcome: { result?: string; error?: string }, value?: unknown) => {
    const line = { args: summarize(args), ...(outcome.result !== undefined ? { result: outcome.result } : {}) };
    const full = { args: summarize(args, MAX_VALUE_CHARS), ...(outcome.result !== undefined ? { result: summarize(value, MAX_VALUE_CHARS) } : {}) };
    const clipped = full.args !== line.args || full.result !== line.result;
    trace.add({ kind: 'call', process, generation, ...(requestId ? { requestId } : {}), service, method, args: line.args, ...outcome, ...(clipped ? { full } : {}) });
  };
  if (!isServiceMethod(service, method)) {
    caller.answered();
    record({ error: `no such method ${service}.${method}` });
    caller.reply({ t: 'return', cid, ok: false, error: `env.${service}.${method} is not a function` });
    return;
  }
  let outcome: Promise<unknown>;
  try {
    outcome = Promise.resolve(services[service]![method]!(...args));
  } catch (error) {
    outcome = Promise.reject(error);
  }
  outcome.then(
    (value) => {
      caller.answered();
      record({ result: summarize(value) }, value);
      try {
        caller.reply({ t: 'return', cid, ok: true, value });
      } catch (error) {
        caller.reply({ t: 'return', cid, ok: false, error: `the result of ${service}.${method} could not be sent: ${String(error)}` });
      }
    },
    (error: unknown) => {
      caller.answered();
      const text = error instanceof Error ? error.message : String(error);
      record({ error: text });
      caller.reply({ t: 'return', cid, ok: false, error: text });
    },
  );
}
