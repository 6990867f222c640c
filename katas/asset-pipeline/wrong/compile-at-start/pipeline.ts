// The shop's asset pipeline: minifies the stylesheet and the script, and names each file after a hash of its
// content (a fingerprint), so a browser may keep a file for ever: new content always gets a new name.
import { SCRIPT, stylesheet } from './client.ts';

/** One compiled file: `name` is what the page asks for (shop.css), `file` its fingerprinted name (shop.1a2b3c4d.css). */
export interface CompiledAsset {
  name: string;
  file: string;
  body: string;
}

/** Compiles the shop's stylesheet (with this accent colour) and script. Real work: it reads every character. */
export function compileAssets(accent: string): CompiledAsset[] {
  return [
    named('shop.css', minify(stylesheet(accent))),
    named('shop.js', minify(SCRIPT)),
  ];
}

/** "shop.css" and its content → shop.<hash of the content>.css */
function named(name: string, body: string): CompiledAsset {
  const dot = name.lastIndexOf('.');
  return { name, file: `${name.slice(0, dot)}.${fingerprint(body)}${name.slice(dot)}`, body };
}

/** A hash of the text (FNV-1a, 32 bits) as 8 hex digits: the same text always gives the same fingerprint. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const PUNCTUATION = '{}();,:=<>+-*!&|?[]';

function isSpace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\t' || char === '\r';
}

function isPunctuation(char: string | undefined): boolean {
  return char !== undefined && PUNCTUATION.includes(char);
}

/**
 * Drops comments and the white space nobody needs, for CSS and JavaScript alike (a small minifier, enough for the
 * shop's sources: it keeps strings as they are, and one space where two words would otherwise run together).
 */
export function minify(source: string): string {
  let out = '';
  let quote = '';
  let pendingSpace = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quote) {
      out += char;
      if (char === '\\') out += source[++i] ?? '';
      else if (char === quote) quote = '';
      continue;
    }
    if (char === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 1;
      pendingSpace = true;
      continue;
    }
    if (char === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      pendingSpace = true;
      continue;
    }
    if (isSpace(char)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out !== '' && !isPunctuation(out[out.length - 1]) && !isPunctuation(char)) out += ' ';
    pendingSpace = false;
    if (char === "'" || char === '"' || char === '`') quote = char;
    out += char;
  }
  return out;
}
