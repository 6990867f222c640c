// The build step that keeps Monaco's stylesheets from blocking the kata page: which links it defers, and how.
import { describe, expect, it } from 'vitest';
import { deferLinks, isMonacoStylesheet } from '../../../src/integrations/defer-monaco-css.ts';

describe('deferMonacoCss', () => {
  it('knows Monaco’s stylesheets by their many .monaco-editor rules, and the site’s by their absence', () => {
    expect(isMonacoStylesheet('.monaco-editor .x{}'.repeat(60))).toBe(true);
    expect(isMonacoStylesheet('.workbench{display:flex}.monaco-host{flex:1}')).toBe(false);
  });

  it('defers only the links to those stylesheets, keeping the rest render-blocking', () => {
    const html = '<head><link rel="stylesheet" href="/_astro/page.css"><link rel="stylesheet" href="/_astro/monaco.1.css"></head>';
    expect(deferLinks(html, new Set(['/_astro/monaco.1.css']))).toBe(
      '<head><link rel="stylesheet" href="/_astro/page.css"><link rel="stylesheet" href="/_astro/monaco.1.css" media="print" data-deferred-style></head>',
    );
  });

  it('leaves a page without them unchanged', () => {
    const html = '<link rel="stylesheet" href="/_astro/page.css">';
    expect(deferLinks(html, new Set(['/_astro/monaco.1.css']))).toBe(html);
  });
});
