// Share links: a kata's code in the URL's fragment (never sent to a server), read back with every limit checked first.
import { compressToEncodedURIComponent } from 'lz-string';
import { decompressBounded, TooLarge } from './bounded-lz.ts';
import { isFiles, listNames, MAX_FILE_CHARS, MAX_LINK_CHARS, MAX_LINK_TEXT_CHARS, size, sortFiles, type Files } from './files.ts';
import { ProgressError } from './progress-file.ts';

export const SHARE_PREFIX = '#share=';

export function shareFragment(slug: string, files: Files): string {
  return `${SHARE_PREFIX}${compressToEncodedURIComponent(JSON.stringify({ kata: slug, files }))}`;
}

export interface SharedCode {
  files: Files;
  /** what the link carried that this kata does not take, in plain words (empty when everything was taken) */
  leftOut: string;
}

/**
 * The code a share link carries for this kata, or undefined when the fragment is no share link. Refuses (with a
 * ProgressError) a link that is too long, expands too far, is damaged or is for another kata; keeps only the kata's
 * own file names within the size limit, and says what it left out.
 */
export function readShareFragment(hash: string, slug: string, kataNames: readonly string[], { maxTextChars = MAX_LINK_TEXT_CHARS } = {}): SharedCode | undefined {
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  const encoded = hash.slice(SHARE_PREFIX.length);
  const unchanged = 'Your own code is unchanged.';
  if (encoded.length > MAX_LINK_CHARS) {
    throw new ProgressError(`This share link is too long to be a kata's code (${size(encoded.length)}). ${unchanged}`);
  }
  let text: string | null;
  try {
    text = decompressBounded(encoded, maxTextChars);
  } catch (error) {
    if (error instanceof TooLarge) throw new ProgressError(`This share link expands to more code than a kata can have (over ${size(maxTextChars)}). ${unchanged}`);
    throw error;
  }
  let data: { kata?: unknown; files?: unknown } | null = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!data || !isFiles(data.files)) throw new ProgressError(`This share link is damaged: its code could not be read. ${unchanged}`);
  if (data.kata !== slug) throw new ProgressError(`This share link is for the kata "${String(data.kata)}", not this one. ${unchanged}`);
  const sorted = sortFiles(data.files, kataNames);
  if (Object.keys(sorted.kept).length === 0) throw new ProgressError(`This share link has none of this kata's files. ${unchanged}`);
  const leftOut = [
    sorted.foreign.length ? `${listNames(sorted.foreign)} (this kata has no such file)` : '',
    sorted.oversize.length ? `${listNames(sorted.oversize)} (over ${size(MAX_FILE_CHARS)})` : '',
  ].filter(Boolean).join('; ');
  return { files: sorted.kept, leftOut: leftOut ? `Left out of the link: ${leftOut}.` : '' };
}
