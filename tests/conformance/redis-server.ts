// Starts and stops a throwaway redis-server on a free loopback port, in a temporary folder, for the conformance suite.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RespClient } from './resp.ts';

export const INSTALL_HINT = 'sudo apt-get install -y redis-server';

/** The redis-server found on PATH (or $REDIS_SERVER), or null when there is none. */
export function findRedisServer(): string | null {
  const candidate = process.env.REDIS_SERVER || 'redis-server';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : null;
}

export function redisServerVersion(binary: string): string {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout;
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown';
}

/** A port the kernel just handed out; redis-server has no `--port 0`, so it gets this one (retried if taken meanwhile). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  port: number;
  version: string;
  connect(): Promise<RespClient>;
  stop(): Promise<void>;
}

async function startOnce(binary: string, dir: string, port: number): Promise<{ child: ChildProcess } | { failed: string }> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // Ready when it says so; whatever it says on exit instead (a port taken meanwhile) is the reason it failed.
  return new Promise((resolve) => {
    const onData = () => {
      if (/Ready to accept connections/.test(output)) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve({ child });
      }
    };
    const onExit = () => resolve({ failed: output.trim().split('\n').slice(-3).join('\n') });
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startRedisServer(binary: string): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dojo-redis-'));
  let lastFailure = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const started = await startOnce(binary, dir, port);
    if ('failed' in started) {
      lastFailure = started.failed;
      continue;
    }
    const { child } = started;
    return {
      port,
      version: redisServerVersion(binary),
      connect: () => RespClient.connect(port),
      stop: () =>
        new Promise<void>((resolve) => {
          const done = () => {
            rmSync(dir, { recursive: true, force: true });
            resolve();
          };
          if (child.exitCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`redis-server did not start: ${lastFailure}`);
}
