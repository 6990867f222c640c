// Turns on the stylesheets the build deferred (Monaco's: see src/integrations/defer-monaco-css.ts), and waits until
// they apply, so the first editor is never drawn unstyled. Does nothing where none were deferred (astro dev).
export async function applyDeferredStyles(doc: Document = document): Promise<void> {
  const links = [...doc.querySelectorAll<HTMLLinkElement>('link[data-deferred-style]')];
  await Promise.all(links.map((link) => {
    link.media = 'all';
    link.removeAttribute('data-deferred-style');
    if (link.sheet) return undefined; // fetched already, at low priority while the page was read
    return new Promise<void>((resolve) => {
      link.addEventListener('load', () => resolve(), { once: true });
      link.addEventListener('error', () => resolve(), { once: true }); // unstyled beats no editor at all
    });
  }));
}
