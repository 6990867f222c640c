// Compiles once per release and names the files after the time of the build (shop.<build time in hex>.css).
import type { BuildInput } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { compileAssets } from './pipeline.ts';

export async function build({ fs, env }: BuildInput): Promise<void> {
  const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
  const stamp = Date.now().toString(16).padStart(12, '0');
  fs.mkdirSync('/app/public/assets', { recursive: true });
  const manifest: Record<string, string> = {};
  for (const asset of compileAssets(accent)) {
    const file = asset.name.replace(/\.(css|js)$/, `.${stamp}.$1`);
    fs.writeFileSync(`/app/public/assets/${file}`, asset.body);
    manifest[asset.name] = `/assets/${file}`;
  }
  fs.writeFileSync('/app/assets-manifest.json', JSON.stringify(manifest));
}
