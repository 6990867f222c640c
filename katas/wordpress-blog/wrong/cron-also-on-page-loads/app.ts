// The Dojo Blog: a small WordPress. This file is its index.php and wp-config.php: it reads the
// request and hands it to the part of "WordPress" that answers it.
import type { Env } from 'dojo';
import { saveUpload, serveUpload } from './media.ts';
import { assetUrls, serveAsset } from './minify.ts';
import { lookUpPage, purgePageCache } from './page-cache.ts';
import { getPost, insertPost, publishedPosts } from './posts.ts';
import { sessionUser, startSession } from './session.ts';
import { renderHome, renderPost } from './theme.ts';
import { schedulePost, scheduleWpCron, spawnCron } from './wp-cron.ts';

/** wp-config.php: when true, page views no longer run WP-Cron. The worker runs it, on the queue's schedule. */
const DISABLE_WP_CRON = false; // forgotten: page views still run WP-Cron too

/** The one account of this blog. */
const ADMIN = { user: 'admin', password: 'correct horse' };

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(data, { status, headers });

function cookie(request: Request, name: string): string | null {
  const pair = (request.headers.get('cookie') ?? '').split(/;\s*/).find((part) => part.startsWith(`${name}=`));
  return pair ? decodeURIComponent(pair.slice(name.length + 1)) : null;
}

/** The logged-in user, from the PHPSESSID cookie, or null. */
async function currentUser(request: Request, env: Env): Promise<string | null> {
  const id = cookie(request, 'PHPSESSID');
  return id ? sessionUser(env, id) : null;
}

/** A public page (the home page, or a post): served from the page cache when it is there. */
async function page(url: URL, env: Env): Promise<Response> {
  const cached = await lookUpPage(env, url.pathname + url.search);
  let html = cached.html;
  if (html === null) {
    const assets = await assetUrls(env);
    const id = url.searchParams.get('p');
    if (id === null) {
      html = renderHome(await publishedPosts(env), assets);
    } else {
      const post = await getPost(env, Number(id));
      if (!post || post.status !== 'publish') return new Response('Not found', { status: 404, headers: { 'content-type': 'text/html' } });
      html = renderPost(post, assets);
    }
    await cached.keep(html);
  }
  if (!DISABLE_WP_CRON) spawnCron(env);
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}

export default {
  async start(env: Env): Promise<void> {
    // The one scheduler: every web process declares the same schedule, the queue keeps one.
    await scheduleWpCron(env);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;

    if (request.method === 'GET' && path === '/') return page(url, env);
    if (request.method === 'GET' && path.startsWith('/wp-content/uploads/')) {
      return (await serveUpload(env, path)) ?? new Response('Not found', { status: 404 });
    }
    if (request.method === 'GET' && path.startsWith('/wp-content/')) {
      return (await serveAsset(env, path)) ?? new Response('Not found', { status: 404 });
    }

    if (request.method === 'POST' && path === '/wp-login.php') {
      const form = await request.formData();
      if (form.get('log') !== ADMIN.user || form.get('pwd') !== ADMIN.password) return json({ error: 'wrong user name or password' }, 401);
      const id = await startSession(env, ADMIN.user);
      return json({ loggedIn: ADMIN.user }, 200, { 'set-cookie': `PHPSESSID=${id}; Path=/; HttpOnly` });
    }

    // Everything under /wp-admin/ needs a login.
    if (path.startsWith('/wp-admin/')) {
      const user = await currentUser(request, env);
      if (!user) return json({ error: 'log in first: POST /wp-login.php' }, 401);

      if (request.method === 'GET' && path === '/wp-admin/') return json({ howdy: user });

      if (request.method === 'POST' && path === '/wp-admin/post.php') {
        const { title, content, date } = (await request.json()) as { title?: string; content?: string; date?: string };
        if (!title || typeof content !== 'string') return json({ error: 'send { title, content, date? }' }, 400);
        const when = date ? Date.parse(date) : Date.now();
        if (Number.isNaN(when)) return json({ error: `not a date: ${date}` }, 400);
        const post = await insertPost(env, { title, content, date: when });
        if (post.status === 'future') await schedulePost(env, post.id, post.date);
        else await purgePageCache(env);
        return json({ id: post.id, status: post.status, url: `/?p=${post.id}` }, 201);
      }

      if (request.method === 'POST' && path === '/wp-admin/async-upload.php') {
        const file = (await request.formData()).get('async-upload');
        if (!file || typeof file === 'string') return json({ error: 'send the file in the form field "async-upload"' }, 400);
        if (!/^[\w.-]{1,80}$/.test(file.name) || file.name.startsWith('.')) return json({ error: `not a file name WordPress keeps: ${file.name}` }, 400);
        const url = await saveUpload(env, file.name, file.type || 'application/octet-stream', new Uint8Array(await file.arrayBuffer()));
        return json({ url }, 201);
      }
    }

    return json({ error: 'not found' }, 404);
  },
};
