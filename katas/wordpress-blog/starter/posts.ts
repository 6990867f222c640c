// The blog's posts, kept in the database (env.kv stands in for WordPress's MySQL here). Leave this file
// as it is: the posts are already where they belong, in a backing service every process shares.
import type { Env } from 'dojo';

export interface Post {
  id: number;
  title: string;
  content: string;
  status: 'publish' | 'future';
  /** when it goes (or went) live, in ms since 1970 */
  date: number;
}

/** Saves a new post; a post dated in the future is saved as `future` (scheduled) and not shown yet. */
export async function insertPost(env: Env, fields: { title: string; content: string; date: number }): Promise<Post> {
  const id = await env.kv.incr('wp_posts:next_id');
  const post: Post = { id, ...fields, status: fields.date > Date.now() ? 'future' : 'publish' };
  await env.kv.set(`wp_posts:${id}`, JSON.stringify(post));
  if (post.status === 'publish') await env.kv.zadd('wp_posts:published', post.date, String(id));
  return post;
}

/** Makes a scheduled post live. Safe to call twice: the second call changes nothing. */
export async function publishPost(env: Env, id: number): Promise<Post | null> {
  const post = await getPost(env, id);
  if (!post) return null;
  const published: Post = { ...post, status: 'publish' };
  await env.kv.set(`wp_posts:${id}`, JSON.stringify(published));
  await env.kv.zadd('wp_posts:published', post.date, String(id));
  return published;
}

export async function getPost(env: Env, id: number): Promise<Post | null> {
  const text = await env.kv.get(`wp_posts:${id}`);
  return text === null ? null : (JSON.parse(text) as Post);
}

/** The published posts, newest first. */
export async function publishedPosts(env: Env): Promise<Post[]> {
  const ids = await env.kv.zrange('wp_posts:published', 0, -1, { REV: true });
  const texts = ids.length > 0 ? await env.kv.mget(...ids.map((id) => `wp_posts:${id}`)) : [];
  return texts.filter((text): text is string => text !== null).map((text) => JSON.parse(text) as Post);
}
