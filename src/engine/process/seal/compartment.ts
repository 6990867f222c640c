// The one place learner code is evaluated: a Compartment of a locked-down isolate, whose globals are only the web
// platform's pure APIs plus what the process runtime hands over (env comes as an argument, never as a global).
import { hardenShared, lockdownOnce } from './lockdown.ts';
import { defineRefusals } from './forbidden.ts';

/** Pure APIs passed through from the host as they are: they compute, they do not reach anything. */
const PASSTHROUGH = [
  'URL', 'URLSearchParams', 'Request', 'Headers', 'FormData', 'Blob', 'File', 'TextEncoder', 'TextDecoder',
  'TextEncoderStream', 'TextDecoderStream', 'ReadableStream', 'WritableStream', 'TransformStream',
  'CompressionStream', 'DecompressionStream', 'AbortController', 'AbortSignal', 'Event', 'EventTarget',
  'DOMException', 'atob', 'btoa', 'structuredClone', 'queueMicrotask',
] as const;

const BOUND = ['atob', 'btoa', 'structuredClone', 'queueMicrotask'] as const;

export interface LearnerCompartment {
  /** Evaluate a script (a module wrapper) and return its completion value. */
  evaluate(code: string, file: string): unknown;
}

export function createLearnerCompartment(endowments: Record<string, unknown>): LearnerCompartment {
  lockdownOnce();
  const host = globalThis as Record<string, unknown>;
  const globals: Record<string, unknown> = {};
  for (const name of PASSTHROUGH) if (host[name] !== undefined) globals[name] = hardenShared(host[name]);
  // A global function called from a Compartment gets the compartment's global as `this`: browsers then throw
  // "Illegal invocation" (btoa, atob, structuredClone, queueMicrotask), so they are bound to the real one.
  for (const name of BOUND) if (typeof host[name] === 'function') globals[name] = (host[name] as (...args: unknown[]) => unknown).bind(host);
  Object.assign(globals, endowments);
  const compartment = new Compartment({ globals, __options__: true });
  defineRefusals(compartment.globalThis);
  return {
    evaluate(code, file) {
      try {
        return compartment.evaluate(code);
      } catch (error) {
        throw explainRejection(error, file);
      }
    },
  };
}

/**
 * SES refuses, by a textual check, sources that contain a direct `eval(`, an `import(` or an HTML comment marker,
 * even inside strings and comments: say which, and where, in the learner's words.
 */
function explainRejection(error: unknown, file: string): unknown {
  const message = error instanceof Error ? error.message : '';
  const code = /\((SES_[A-Z_]+)\)/.exec(message)?.[1];
  if (!code) return error;
  // The line in the evaluated source, module wrapper included, as in any stack frame (the wire mapper takes it off).
  const line = Number(/:(\d+)\.? \(SES_/.exec(message)?.[1] ?? 2);
  const what =
    code === 'SES_EVAL_REJECTED' ? 'eval() is not available in a kata\'s process (even the text "eval(" in a comment or string is refused)'
      : code === 'SES_IMPORT_REJECTED' ? 'import() of a computed module is not available: use a static import at the top of the file (even the text "import(" in a comment or string is refused)'
        : code === 'SES_HTML_COMMENT_REJECTED' ? 'the text "<!--" or "-->" cannot appear in a kata\'s code, even in a string: write "<!" + "--" instead'
          : message;
  const rejected = new SyntaxError(what);
  // A stack frame the wire-error mapper understands, pointing at the learner's line.
  rejected.stack = `SyntaxError: ${what}\n    at ${file}:${line}:1`;
  return rejected;
}
