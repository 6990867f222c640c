// Answers the platform gives instead of an app: a 502 when a process died, a 503 when none runs, a 500 for a throw.
import type { WireResponse } from '../../process/protocol.ts';

/** A plain-text answer; `x-dojo-error` says it is the platform's (tests and the timeline show it as such). */
export function plainResponse(status: number, text: string, fromApp = false): WireResponse {
  const headers: [string, string][] = [['content-type', 'text/plain; charset=utf-8']];
  if (!fromApp || status >= 500) headers.push(['x-dojo-error', text]);
  return { status, headers, body: new TextEncoder().encode(text) };
}
