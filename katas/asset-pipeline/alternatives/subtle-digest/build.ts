// The build step, with its own names: each file is named after the first bytes of its SHA-256 (as webpack's
// [contenthash] and Rails' digests do), computed with Web Crypto, and the manifest lists their URLs.
import type { BuildInput } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { compileAssets } from './pipeline.ts';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest.slice(0, 10)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function build({ fs, env }: BuildInput): Promise<void> {
  const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
  fs.mkdirSync('/app/public/static', { recursive: true });
  const manifest: Record<string, string> = {};
  for (const asset of compileAssets(accent)) {
    const file = asset.name.replace(/\.(css|js)$/, `-${await sha256Hex(asset.body)}.$1`);
    fs.writeFileSync(`/app/public/static/${file}`, asset.body);
    manifest[asset.name] = `/static/${file}`;
  }
  fs.writeFileSync('/app/manifest.json', JSON.stringify(manifest));
}
