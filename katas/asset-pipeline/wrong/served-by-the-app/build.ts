// Compiles once per release, fingerprinted, but writes the files next to the app (not under public/),
// so the app serves them itself.
import type { BuildInput } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { compileAssets } from './pipeline.ts';

export async function build({ fs, env }: BuildInput): Promise<void> {
  const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
  fs.mkdirSync('/app/compiled', { recursive: true });
  const manifest: Record<string, string> = {};
  for (const asset of compileAssets(accent)) {
    fs.writeFileSync(`/app/compiled/${asset.file}`, asset.body);
    manifest[asset.name] = `/assets/${asset.file}`;
  }
  fs.writeFileSync('/app/assets-manifest.json', JSON.stringify(manifest));
}
