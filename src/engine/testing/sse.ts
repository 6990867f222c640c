// Reads a server-sent events stream as a browser's EventSource does (the WHATWG HTML "event stream" format).

/** One event as EventSource hands it to its listeners. */
export interface ServerSentEvent {
  /** the event's `event:` field; 'message' when it has none */
  event: string;
  /** its `data:` lines, joined with newlines */
  data: string;
  /** the last event id the stream set so far (what a reconnect sends as Last-Event-ID); '' when none */
  id: string;
}

/** Feed it the stream's text as it arrives; it calls back for each complete event and each `retry:`. */
export class SseParser {
  lastEventId: string;
  #buffer = '';
  #data: string[] = [];
  #event = '';
  readonly #decoder = new TextDecoder();
  readonly #onEvent: (event: ServerSentEvent) => void;
  readonly #onRetry: (ms: number) => void;

  constructor(lastEventId: string, onEvent: (event: ServerSentEvent) => void, onRetry: (ms: number) => void) {
    this.lastEventId = lastEventId;
    this.#onEvent = onEvent;
    this.#onRetry = onRetry;
  }

  push(bytes: Uint8Array): void {
    this.#buffer += this.#decoder.decode(bytes, { stream: true });
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // a lone \r at the end may be the first half of \r\n: wait for the next chunk
      if (!match || (match[0] === '\r' && match.index === this.#buffer.length - 1)) return;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      this.#line(line);
    }
  }

  /** The connection ended: an event not finished by a blank line is dropped, as EventSource drops it. */
  end(): void {
    this.#buffer = '';
    this.#data = [];
    this.#event = '';
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return; // a comment (often a keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#onRetry(Number(value));
        break;
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event || 'message';
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return;
    this.#onEvent({ event, data: data.join('\n'), id: this.lastEventId });
  }
}
