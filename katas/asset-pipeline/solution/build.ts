// The build step: it runs once per release, before any process starts. It compiles the stylesheet and the
// script once, writes them under /app/public/ (the platform serves them, with no process involved), and
// writes a manifest, on every process's disk, of the fingerprinted URL of each.
import type { BuildInput } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { compileAssets } from './pipeline.ts';

export async function build({ fs, env }: BuildInput): Promise<void> {
  const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
  fs.mkdirSync('/app/public/assets', { recursive: true });
  const manifest: Record<string, string> = {};
  for (const asset of compileAssets(accent)) {
    fs.writeFileSync(`/app/public/assets/${asset.file}`, asset.body);
    manifest[asset.name] = `/assets/${asset.file}`;
  }
  fs.writeFileSync('/app/assets-manifest.json', JSON.stringify(manifest));
}
