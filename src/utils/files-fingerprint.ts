// A short fingerprint of a kata's files, so a page that has no starter code (the home page) can tell saved code
// from the starter: the build stamps each kata's starter fingerprint into the page, the browser fingerprints the save.

/** FNV-1a (32 bits) over the files sorted by name; the same files give the same text whatever their order. */
export function filesFingerprint(files: Readonly<Record<string, string>>): string {
  const text = JSON.stringify(Object.keys(files).sort().map((name) => [name, files[name]]));
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
