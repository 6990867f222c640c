// Astro site of Stateless Dojo: MDX lessons, kata pages, a Pagefind index and a sitemap, served cross-origin isolated.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { pagefind } from './src/integrations/pagefind.ts';
import { monacoLean } from './src/integrations/monaco-lean.ts';
import { deferMonacoCss } from './src/integrations/defer-monaco-css.ts';
import { offline } from './src/integrations/offline.ts';
import { RESPONSE_HEADERS } from './src/utils/headers.ts';

export default defineConfig({
  site: process.env.SITE_URL ?? 'https://stateless-dojo.example',
  trailingSlash: 'ignore',
  // offline() comes last: it lists every file the others wrote (the search index, the deferred stylesheets' pages).
  // The presenter's slides and notes (/present/) repeat the lessons for a projector: not pages to list for search engines.
  integrations: [mdx(), sitemap({ filter: (page) => !new URL(page).pathname.startsWith('/present/') }), pagefind(), deferMonacoCss(), offline()],
  // Cross-origin isolation (WebContainer, SharedArrayBuffer) and the security headers: dev and preview send exactly
  // what production hosts send (public/_headers, vercel.json, deploy/nginx.conf, all generated from the same module).
  server: { headers: RESPONSE_HEADERS },
  devToolbar: { enabled: false },
  markdown: {
    // High-contrast themes keep every token at WCAG AA contrast; the dark one is switched in by global.css.
    shikiConfig: { themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' } },
  },
  vite: {
    plugins: [monacoLean()],
    // The same plugin for `astro dev`'s pre-bundling of dependencies, where monaco-editor is bundled.
    optimizeDeps: { exclude: ['@electric-sql/pglite'], rolldownOptions: { plugins: [monacoLean()] } },
    worker: { format: 'es' },
    // No inlined <script>: the page policy (src/utils/headers.ts) allows the site's own script files, not inline code.
    // Other small assets keep Vite's default (returning undefined).
    build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) },
  },
});
