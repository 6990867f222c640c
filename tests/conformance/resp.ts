// A tiny RESP2 client over node:net: sends commands as arrays of bulk strings and reads the replies in order.
import net from 'node:net';

/** An error reply (`-ERR …`, `-WRONGTYPE …`): a value, not a throw, so callers decide what to do with it. */
export class RespError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

export type RespReply = string | number | null | RespError | RespReply[];

/** Reads one reply from `buffer` at `offset`; undefined when the buffer does not hold all of it yet. */
function parse(buffer: Buffer, offset: number): { value: RespReply; next: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]!);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RespError(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (buffer.length < after + length + 2) return undefined;
      return { value: buffer.toString('utf8', after, after + length), next: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespReply[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, next);
        if (item === undefined) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`RESP: unexpected reply type ${JSON.stringify(type)}`);
  }
}

export class RespClient {
  readonly #socket: net.Socket;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #waiting: { resolve(reply: RespReply): void; reject(error: Error): void }[] = [];
  /** Messages pushed to this connection once it subscribed (`['message', channel, text]`), in order. */
  readonly pushed: RespReply[] = [];
  #subscribed = false;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('close', () => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error('RESP: connection closed'));
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => {}); // surfaced through 'close' to whoever is waiting
        resolve(new RespClient(socket));
      });
    });
  }

  /** Sends one command; resolves with its reply (an error reply resolves as a RespError). */
  call(...args: (string | number)[]): Promise<RespReply> {
    const parts = args.map((arg) => Buffer.from(String(arg), 'utf8'));
    const frame = [`*${parts.length}\r\n`];
    const chunks: Buffer[] = [Buffer.from(frame[0]!)];
    for (const part of parts) chunks.push(Buffer.from(`$${part.length}\r\n`), part, Buffer.from('\r\n'));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#socket.write(Buffer.concat(chunks));
    });
  }

  /** SUBSCRIBE: from now on, `message` arrays are pushes, never the reply to a command (PING included). */
  subscribe(channel: string): Promise<RespReply> {
    this.#subscribed = true;
    return this.call('SUBSCRIBE', channel);
  }

  close(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let offset = 0;
    for (;;) {
      const reply = offset < this.#buffer.length ? parse(this.#buffer, offset) : undefined;
      if (reply === undefined) break;
      offset = reply.next;
      const { value } = reply;
      if (this.#subscribed && Array.isArray(value) && value[0] === 'message') {
        this.pushed.push(value);
        continue;
      }
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(value);
      else this.pushed.push(value); // nobody asked: kept where a test will see it
    }
    this.#buffer = this.#buffer.subarray(offset);
  }
}
