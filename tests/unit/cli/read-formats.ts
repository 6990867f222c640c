// Small, strict readers of the grader's CSV and XML, written from the standards, so tests check what others will read.

/** RFC 4180: records end with CRLF, fields with a comma, quote or line break are quoted, quotes doubled. Throws otherwise. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  if (!text.endsWith('\r\n')) throw new Error('CSV: the last record does not end with CRLF');
  while (at < text.length) {
    let field = '';
    if (text[at] === '"') {
      at += 1;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote === -1) throw new Error('CSV: a quoted field is not closed');
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] === '"') {
          field += '"';
          at += 1;
        } else break;
      }
    } else {
      const end = text.slice(at).search(/,|\r\n/);
      field = text.slice(at, at + end);
      if (/["\r\n]/.test(field)) throw new Error(`CSV: an unquoted field holds a quote or line break: ${JSON.stringify(field)}`);
      at += end;
    }
    record.push(field);
    if (text[at] === ',') at += 1;
    else if (text.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
    } else throw new Error(`CSV: a field is followed by ${JSON.stringify(text[at])}, not a comma or CRLF`);
  }
  return records;
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Characters XML 1.0 allows. */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** A well-formedness check of XML 1.0 as the grader writes it (elements, attributes, text; no DTD, no CDATA). Throws. */
export function parseXml(text: string): XmlElement {
  if (!XML_CHARS.test(text)) throw new Error('XML: holds characters XML 1.0 does not allow');
  const body = text.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n?/, '');
  if (body === text) throw new Error('XML: no declaration');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const match = token.exec(body);
    if (!match) throw new Error(`XML: not well-formed at ${JSON.stringify(body.slice(at, at + 40))}`);
    at = token.lastIndex;
    const [, closing, name, attributeText, selfClosing, characters] = match;
    const top = stack.at(-1)!;
    if (characters !== undefined) {
      if (stack.length === 1 && characters.trim() !== '') throw new Error('XML: text outside the root element');
      top.text += decode(characters);
    } else if (closing) {
      if (top.name !== name) throw new Error(`XML: </${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of attributeText!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (key! in attributes) throw new Error(`XML: attribute ${key} twice`);
        // Attribute-value normalisation (XML 1.0 §3.3.3): a raw line break or tab is read as a space.
        attributes[key!] = decode(value!.replace(/[\t\n\r]/g, ' '));
      }
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      if (stack.length === 1 && root.children.length > 0) throw new Error('XML: more than one root element');
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack.at(-1)!.name}> is not closed`);
  if (root.children.length !== 1) throw new Error('XML: no root element');
  return root.children[0]!;
}

function decode(text: string): string {
  return text.replace(/&([^;]*);|&/g, (whole, entity: string | undefined) => {
    if (entity === undefined) throw new Error('XML: a bare &');
    if (entity in ENTITIES) return ENTITIES[entity]!;
    const code = /^#x([0-9a-fA-F]+)$/.exec(entity)?.[1] ?? /^#(\d+)$/.exec(entity)?.[1];
    if (code === undefined) throw new Error(`XML: unknown entity ${whole}`);
    const char = String.fromCodePoint(entity.startsWith('#x') ? parseInt(code, 16) : Number(code));
    if (!XML_CHARS.test(char)) throw new Error(`XML: ${whole} is a character XML 1.0 does not allow`);
    return char;
  });
}

/** The elements named `name` anywhere under `element`. */
export function elements(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...elements(child, name)]);
}
