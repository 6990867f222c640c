// Compiles once per release, but writes the files under their plain names (shop.css, shop.js).
import type { BuildInput } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { compileAssets } from './pipeline.ts';

export async function build({ fs, env }: BuildInput): Promise<void> {
  const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
  fs.mkdirSync('/app/public/assets', { recursive: true });
  const manifest: Record<string, string> = {};
  for (const asset of compileAssets(accent)) {
    fs.writeFileSync(`/app/public/assets/${asset.name}`, asset.body);
    manifest[asset.name] = `/assets/${asset.name}`;
  }
  fs.writeFileSync('/app/assets-manifest.json', JSON.stringify(manifest));
}
