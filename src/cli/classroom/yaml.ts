// Writes the small part of YAML a GitHub Actions workflow needs (mappings, lists, one-line scalars), quoting every
// string that YAML could read as something else, so the file says exactly what the generator meant.

export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

/** Words YAML 1.1 readers (GitHub's among them, for `on`) take for booleans or null when left unquoted. */
const RESERVED = /^(?:on|off|yes|no|y|n|true|false|null|~|\.inf|\.nan)$/i;
/** A string safe as a plain scalar: no spaces, no indicator characters, not a number. */
const PLAIN = /^[A-Za-z_./][A-Za-z0-9_./@-]*$/;
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export function toYaml(value: { [key: string]: YamlValue }): string {
  return `${mapping(value, 0).join('\n')}\n`;
}

/** One-line text: plain when nothing can be misread, else single-quoted, else (a quote or control character in it) JSON's double quotes, which YAML reads the same. */
export function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (PLAIN.test(value) && !RESERVED.test(value)) return value;
  if (!/['\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return `'${value}'`;
  // JSON leaves C1 controls and the Unicode line separators as they are; YAML wants them escaped.
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function key(name: string): string {
  return KEY.test(name) && !RESERVED.test(name) ? name : JSON.stringify(name);
}

function isScalar(value: YamlValue): value is string | number | boolean {
  return typeof value !== 'object';
}

function mapping(value: { [key: string]: YamlValue }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    if (isScalar(item)) lines.push(`${pad}${key(name)}: ${scalar(item)}`);
    else if (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0) lines.push(`${pad}${key(name)}: ${Array.isArray(item) ? '[]' : '{}'}`);
    else lines.push(`${pad}${key(name)}:`, ...(Array.isArray(item) ? list(item, indent + 2) : mapping(item, indent + 2)));
  }
  return lines;
}

function list(items: YamlValue[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const item of items) {
    if (isScalar(item)) lines.push(`${pad}- ${scalar(item)}`);
    else if (Array.isArray(item)) throw new Error('toYaml: a list directly inside a list is not needed by workflows');
    else {
      // The item's first line goes after the dash; the rest line up under it.
      const [first, ...rest] = mapping(item, indent + 2);
      if (first === undefined) throw new Error('toYaml: an empty mapping in a list is not needed by workflows');
      lines.push(`${pad}- ${first.slice(indent + 2)}`, ...rest);
    }
  }
  return lines;
}
