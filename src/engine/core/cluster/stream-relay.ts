// The supervisor's side of streamed responses: opens a stream when its head arrives, relays each chunk to the client
// within the platform's caps, and ends it once, traced with a cause code.
import type { FromProcess } from '../../process/protocol.ts';
import { bodyText, type Trace } from '../trace.ts';
import { describeWireError } from '../errors.ts';
import type { Slot } from './slot.ts';
import { OpenStream, overCap, overLimit, type StreamEnd } from './streams.ts';

type StreamMessage = Extract<FromProcess, { t: 'chunk' | 'stream-end' }>;

export class StreamRelay {
  readonly #trace: Trace;
  /** tell a live process to stop writing a stream (its body is cancelled) */
  readonly #cancel: (slot: Slot, id: number, reason: string) => void;

  constructor(trace: Trace, cancel: (slot: Slot, id: number, reason: string) => void) {
    this.#trace = trace;
    this.#cancel = cancel;
  }

  /** A streamed response's head arrived: its request is answered (traced), and its stream opens. */
  open(slot: Slot, id: number, path: string, status: number): OpenStream {
    const { name, generation } = slot.ref;
    const stream = new OpenStream(id, path);
    slot.streams.set(id, stream);
    this.#trace.add({ kind: 'response', id, status, process: name, generation });
    this.#trace.add({ kind: 'stream', action: 'open', id, process: name, generation, path });
    return stream;
  }

  /** A stream ends once: traced with its cause, and said to the client. */
  close(slot: Slot, stream: OpenStream, end: StreamEnd, error?: string): void {
    if (!slot.streams.delete(stream.id)) return;
    this.#trace.add({
      kind: 'stream', action: 'close', id: stream.id, process: slot.ref.name, generation: slot.ref.generation, path: stream.path,
      cause: end.cause, ...(error ? { error } : {}),
    });
    stream.end(end);
  }

  /** A chunk, or the end the process reports (the app's, a cap the process noticed, an error). */
  relay(slot: Slot, message: StreamMessage): void {
    const { name, generation } = slot.ref;
    const stream = slot.streams.get(message.id);
    if (!stream) return; // closed already (the client hung up, or a cap): what was under way is dropped
    if (message.t === 'chunk') {
      const limit = overCap(stream, message.bytes.byteLength);
      if (limit) {
        // the process should have stopped itself at the cap (see runtime.ts): this one does not play by the rules
        this.#cancel(slot, stream.id, 'over the platform cap');
        const reason = overLimit(limit, name, stream.path);
        return this.close(slot, stream, { cause: 'limit', reason }, reason);
      }
      stream.chunks += 1;
      stream.bytes += message.bytes.byteLength;
      const text = bodyText(message.bytes);
      this.#trace.add({ kind: 'stream', action: 'event', id: stream.id, process: name, generation, path: stream.path, ...(text !== undefined ? { text } : {}) });
      stream.push(message.bytes);
      return;
    }
    if (message.limit) {
      const reason = overLimit(message.limit, name, stream.path);
      return this.close(slot, stream, { cause: 'limit', reason }, reason);
    }
    if (message.error) {
      const error = describeWireError(message.error);
      return this.close(slot, stream, { cause: 'error', reason: `the stream of GET ${stream.path} on ${name} failed: ${error}` }, error);
    }
    this.close(slot, stream, { cause: 'app', reason: `the app on ${name} ended the stream of GET ${stream.path}` });
  }
}
