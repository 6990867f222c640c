// Streamed responses (server-sent events) as the supervisor keeps them: what arrived before the client listened is
// kept for it, and every end (the app's, a cap's, the process's) is said once, with a cause code and words.
import type { StreamCloseCause } from '../trace.ts';
import type { EndKind } from '../trace.ts';
import { STREAM_LIMITS } from '../limits.ts';

/** How a stream ended, as the client sees it. */
export interface StreamEnd {
  cause: StreamCloseCause;
  /** in words, for people */
  reason: string;
}

/** A streamed response being sent to a client: it does not hold its process busy, and may live as long as it. */
export class OpenStream {
  readonly id: number;
  /** "/chat/stream", for the trace */
  readonly path: string;
  chunks = 0;
  bytes = 0;
  #held: Uint8Array[] = [];
  #end?: StreamEnd;
  #onChunk?: (bytes: Uint8Array) => void;
  #onEnd?: (end: StreamEnd) => void;

  constructor(id: number, path: string) {
    this.id = id;
    this.path = path;
  }

  get ended(): StreamEnd | undefined {
    return this.#end;
  }

  /** The client's side: every chunk so far and from now on, then the end (chunks can come before anyone listens). */
  listen(onChunk: (bytes: Uint8Array) => void, onEnd: (end: StreamEnd) => void): void {
    this.#onChunk = onChunk;
    this.#onEnd = onEnd;
    for (const chunk of this.#held.splice(0)) onChunk(chunk);
    if (this.#end) onEnd(this.#end);
  }

  push(bytes: Uint8Array): void {
    if (this.#end) return;
    if (this.#onChunk) this.#onChunk(bytes);
    else this.#held.push(bytes);
  }

  end(end: StreamEnd): void {
    if (this.#end) return;
    this.#end = end;
    this.#onEnd?.(end);
  }
}

/** What a process's end means for its streams: cut off at once (a kill, a crash), or closed once its stop is over. */
export function streamEndFor(kind: EndKind, process: string, reason: string): StreamEnd {
  switch (kind) {
    case 'kill': return { cause: 'killed', reason: `${process} ${reason.startsWith('killed') ? `was ${reason}` : reason}, and its open connections were cut` };
    case 'crash': return { cause: 'crashed', reason: `${process} ${reason}, and its open connections were cut` };
    case 'stop': return { cause: 'stopped', reason: `${process} was ${reason}: its open connections were closed once its shutdown was over` };
  }
}

/** The cap a stream went over, in words for people. */
export function overLimit(limit: 'chunks' | 'bytes', process: string, path: string): string {
  const what = limit === 'chunks' ? `more than ${STREAM_LIMITS.chunks.toLocaleString('en')} chunks` : `more than ${STREAM_LIMITS.bytes / 1024 / 1024} MB`;
  return `the platform closed the stream of GET ${path} on ${process}: it sent ${what}. A long-lived stream should send only when something happens (one that writes in a loop never ends), and its clients reconnect`;
}

/** Which cap the next chunk goes over, if any. */
export function overCap(stream: OpenStream, size: number): 'chunks' | 'bytes' | undefined {
  if (stream.chunks + 1 > STREAM_LIMITS.chunks) return 'chunks';
  if (stream.bytes + size > STREAM_LIMITS.bytes) return 'bytes';
  return undefined;
}
