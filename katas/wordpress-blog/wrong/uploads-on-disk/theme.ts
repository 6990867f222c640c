// The theme: its templates, its stylesheets and scripts (as a plugin would register them), and the
// minifier a caching plugin uses. Leave this file as it is: it does no I/O, it only makes text.
import type { Post } from './posts.ts';

/** The stylesheets every page needs, in the order they are concatenated. */
export const STYLES: Record<string, string> = {
  'wp-includes/css/dist/block-library/style.css': `/* Block library */
.wp-block-image img {
  max-width: 100%;
  height: auto;
}
`,
  'wp-content/themes/dojo/style.css': `/*
Theme Name: Dojo
*/
body {
  font-family: Georgia, serif;
  margin: 0 auto;
  max-width: 42rem;
}
.site-title {
  font-size: 2rem;
}
`,
  'wp-content/plugins/gallery/gallery.css': `/* Gallery plugin */
.gallery {
  display: grid;
  gap: 0.5rem;
}
`,
};

/** The scripts every page needs, in the order they are concatenated. */
export const SCRIPTS: Record<string, string> = {
  'wp-includes/js/comment-reply.js': `/* Comment reply */
function moveReplyForm(id) {
  return document.getElementById(id);
}
`,
  'wp-content/themes/dojo/navigation.js': `/* Navigation */
function toggleMenu() {
  document.body.classList.toggle('menu-open');
}
`,
};

/** Concatenates and minifies stylesheets: comments and extra white space go. */
export function minifyCss(sources: Record<string, string>): string {
  return Object.values(sources)
    .map((css) => css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};:,])\s*/g, '$1').trim())
    .join('');
}

/** Concatenates and minifies scripts: block comments and indentation go, one statement per line. */
export function minifyJs(sources: Record<string, string>): string {
  return Object.values(sources)
    .map((js) => js.replace(/\/\*[\s\S]*?\*\//g, '').split('\n').map((line) => line.trim()).filter(Boolean).join('\n'))
    .join('\n');
}

/** A short, stable name for a text (FNV-1a): the same text always gets the same name, on any process. */
export function contentHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Where the page's stylesheet and script are served from. */
export interface AssetUrls {
  css: string;
  js: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string, assets: AssetUrls): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)} – Dojo Blog</title>
<link rel="stylesheet" href="${assets.css}">
</head>
<body>
<header><a class="site-title" href="/">Dojo Blog</a></header>
<main>
${body}
</main>
<script src="${assets.js}"></script>
</body>
</html>
`;
}

/** The home page: every published post, newest first. */
export function renderHome(posts: readonly Post[], assets: AssetUrls): string {
  const items = posts.map((post) => `<article><h2><a href="/?p=${post.id}">${escape(post.title)}</a></h2></article>`).join('\n');
  return layout('Home', items || '<p>Nothing here yet.</p>', assets);
}

/** One post's page. */
export function renderPost(post: Post, assets: AssetUrls): string {
  return layout(post.title, `<article><h1>${escape(post.title)}</h1>\n<div class="entry-content">${post.content}</div></article>`, assets);
}
