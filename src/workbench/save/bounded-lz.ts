// Reads lz-string's URI-safe format with a ceiling on the text it produces, so a small link cannot expand to megabytes.
//
// lz-string's own decompressor has no limit: each code may repeat everything decoded so far, so a 20 KB link grew
// to 50 MB and froze the page for seconds (issue 9). This is the same algorithm (lz-string 1.5, MIT, © pieroxy),
// rewritten to count what it produces and stop as soon as that passes `maxChars`.

const URI_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE_OF = new Map([...URI_SAFE].map((character, index) => [character, index]));

/** The text would be longer than the caller allows; decoding stopped there. */
export class TooLarge extends Error {
  readonly maxChars: number;
  constructor(maxChars: number) {
    super(`the text is longer than ${maxChars} characters`);
    this.maxChars = maxChars;
    this.name = 'TooLarge';
  }
}

/**
 * Like lz-string's `decompressFromEncodedURIComponent`, with a ceiling: returns the text, `null` when the input is
 * not lz-string data, or throws TooLarge as soon as the output would pass `maxChars`.
 */
export function decompressBounded(input: string, maxChars: number): string | null {
  if (input === '') return null;
  input = input.replace(/ /g, '+');
  const RESET = 32; // 6 bits per character, read from the highest
  let value = VALUE_OF.get(input.charAt(0)) ?? 0;
  let position = RESET;
  let index = 1;
  const read = (count: number): number => {
    let bits = 0;
    for (let power = 1; power !== 1 << count; power <<= 1) {
      const bit = value & position;
      position >>= 1;
      if (position === 0) {
        position = RESET;
        value = VALUE_OF.get(input.charAt(index++)) ?? 0;
      }
      if (bit > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', ''];
  let produced = 0;
  const result: string[] = [];
  const emit = (text: string) => {
    produced += text.length;
    if (produced > maxChars) throw new TooLarge(maxChars);
    result.push(text);
  };

  let enlargeIn = 4;
  let dictSize = 4;
  let numBits = 3;
  const first = read(2);
  if (first === 2) return '';
  if (first !== 0 && first !== 1) return null;
  let w = String.fromCharCode(read(first === 0 ? 8 : 16));
  dictionary[3] = w;
  emit(w);
  for (;;) {
    if (index > input.length) return '';
    let code = read(numBits);
    if (code === 0 || code === 1) {
      dictionary[dictSize++] = String.fromCharCode(read(code === 0 ? 8 : 16));
      code = dictSize - 1;
      enlargeIn--;
    } else if (code === 2) {
      return result.join('');
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    if (dictionary[code]) entry = dictionary[code]!;
    else if (code === dictSize) entry = w + w.charAt(0);
    else return null;
    emit(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
