// Serves the built site with `astro preview` for the measuring scripts (bench, lighthouse); returns how to stop it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export async function startPreview(port: number): Promise<() => void> {
  if (!existsSync('dist/index.html')) throw new Error('no built site: run `npm run build` first');
  const server = spawn('npx', ['astro', 'preview', '--port', String(port)], { stdio: 'ignore', detached: true });
  // Up to a minute: on a busy machine `npx astro preview` alone can take more than ten seconds to answer.
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/`)).ok) return () => process.kill(-server.pid!);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('astro preview did not start');
}
