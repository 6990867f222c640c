// Compiles once per release and names the files after a version number kept by hand (bumped "when the assets change").
import type { BuildInput } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { compileAssets } from './pipeline.ts';

const ASSETS_VERSION = '00000001';

export async function build({ fs, env }: BuildInput): Promise<void> {
  const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
  fs.mkdirSync('/app/public/assets', { recursive: true });
  const manifest: Record<string, string> = {};
  for (const asset of compileAssets(accent)) {
    const file = asset.name.replace(/\.(css|js)$/, `.${ASSETS_VERSION}.$1`);
    fs.writeFileSync(`/app/public/assets/${file}`, asset.body);
    manifest[asset.name] = `/assets/${file}`;
  }
  fs.writeFileSync('/app/assets-manifest.json', JSON.stringify(manifest));
}
