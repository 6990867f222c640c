// The site's security and isolation headers and its page policy, in one place: every deploy config is generated from here.
//
// Why the Content-Security-Policy comes in two parts:
// - A dedicated worker is governed by the CSP of its *own* response (Chromium 150, measured), not by its page's.
//   The engine's process workers evaluate learner code with SES (`Compartment.evaluate`), which needs eval; any
//   script policy sent on every response would forbid that in the workers too. Hosts differ in how (or whether) one
//   path's header can replace another's (Cloudflare joins them, Netlify overrides, nginx replaces per location), so
//   a per-path split would be fragile.
// - So the policy that restricts scripts is the page's own, in a <meta> tag of every page (BaseLayout), with no
//   'unsafe-eval'; workers' responses carry no script policy and keep eval. The header that every response carries
//   holds only what a <meta> policy cannot say (frame-ancestors) and what is harmless to workers.
import { createHash } from 'node:crypto';

/** Cross-origin isolation (WebContainer and SharedArrayBuffer need it). */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/** The policy sent as a header on every response: no framing by any site, no plugins, no <base> from elsewhere. */
export const HEADER_POLICY = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

/** Every response, every host, and `astro preview` (so the browser tests run under exactly these). */
export const RESPONSE_HEADERS = {
  ...CROSS_ORIGIN_ISOLATION,
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': HEADER_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // For browsers that predate frame-ancestors.
  'X-Frame-Options': 'DENY',
} as const;

/**
 * Sets the theme before first paint (saved choice, else the system's). Inline so the page never flashes the wrong
 * theme; the page policy allows exactly this script by its hash.
 */
export const THEME_SCRIPT =
  "(()=>{let t;try{t=localStorage.getItem('dojo-theme')}catch{}if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.dataset.theme=t})();";

export const scriptHash = (source: string): string => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/** Where WebContainer's hidden frame comes from (StackBlitz's hosted service). */
const WEBCONTAINER_FRAMES = ['https://stackblitz.com', 'https://*.stackblitz.com', 'https://*.webcontainer-api.io', 'https://*.webcontainer.io'];

/** The page's own policy (a <meta> tag in every page's head). */
export const PAGE_POLICY = [
  "default-src 'self'",
  // Own scripts only, plus WebAssembly (Pagefind's search) and the theme script; never 'unsafe-eval' or inline code.
  `script-src 'self' 'wasm-unsafe-eval' ${scriptHash(THEME_SCRIPT)}`,
  // Monaco creates <style> elements and style attributes as it lays out the editor.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // The engine's supervisor and processes, Monaco's workers: all scripts of this site.
  "worker-src 'self' blob:",
  `frame-src ${WEBCONTAINER_FRAMES.join(' ')}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const entries = () => Object.entries(RESPONSE_HEADERS);

/** public/_headers (Netlify, Cloudflare Pages). */
export function netlifyHeaders(): string {
  return [
    '# Generated from src/utils/headers.ts by scripts/write-headers.ts: edit there, then run that script.',
    '# Netlify and Cloudflare Pages: every response cross-origin isolated, never framed, no MIME sniffing.',
    '/*',
    ...entries().map(([name, value]) => `  ${name}: ${value}`),
    '',
  ].join('\n');
}

/** vercel.json. */
export function vercelJson(): string {
  return `${JSON.stringify({
    $schema: 'https://openapi.vercel.sh/vercel.json',
    buildCommand: 'npm run build',
    outputDirectory: 'dist',
    headers: [{ source: '/(.*)', headers: entries().map(([key, value]) => ({ key, value })) }],
  }, null, 2)}\n`;
}

/** deploy/nginx.conf: nginx's add_header in a location replaces the server's, so each location repeats them all. */
export function nginxConf(): string {
  const add = (indent: string) => entries().map(([name, value]) => `${indent}add_header ${name} "${value}" always;`);
  return [
    '# Generated from src/utils/headers.ts by scripts/write-headers.ts: edit there, then run that script.',
    '# nginx: serve the built site (dist/) cross-origin isolated, never framed, with long caching for hashed assets.',
    'server {',
    '  listen 80;',
    '  server_name _;',
    '  root /srv/stateless-dojo/dist;',
    '',
    ...add('  '),
    '',
    '  # Every file with its type: with nosniff, a script served as application/octet-stream would not run.',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '',
    '  location /_astro/ {',
    ...add('    '),
    '    add_header Cache-Control "public, max-age=31536000, immutable" always;',
    '  }',
    '',
    '  location / {',
    '    try_files $uri $uri/ $uri/index.html =404;',
    '  }',
    '  error_page 404 /404.html;',
    '}',
    '',
  ].join('\n');
}

/** The generated deploy configs, by path from the repository's root. */
export const DEPLOY_CONFIGS: Record<string, () => string> = {
  'public/_headers': netlifyHeaders,
  'vercel.json': vercelJson,
  'deploy/nginx.conf': nginxConf,
};
