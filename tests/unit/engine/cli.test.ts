// The kata CLI as a grader or CI uses it: a child process, its exit code and its output.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
const USAGE = 'usage:\n  npm run kata -- list';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `node src/cli/kata.ts ...args` (process.execPath is the Node that runs Vitest, with type stripping). */
function kata(...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/cli/kata.ts', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const classDir = mkdtempSync(join(tmpdir(), 'dojo-class-'));
cpSync(join(ROOT, 'katas/visit-counter/solution'), join(classDir, 'alice'), { recursive: true });
cpSync(join(ROOT, 'katas/visit-counter/starter'), join(classDir, 'bob'), { recursive: true });
mkdirSync(join(classDir, 'carol')); // handed in nothing
afterAll(() => rmSync(classDir, { recursive: true, force: true }));

/** Each test starts Node processes: generous on a slow, busy machine (no test here asserts on time). */
const SPAWNS = {}; // the global test time-out (vitest.config.ts) is the last resort

describe.concurrent('npm run kata', SPAWNS, () => {
  it('runs on a Node that strips types', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('test <kata> --dir <solution> --seed 1 passes every hidden test and exits 0', async () => {
    const { code, stdout, stderr } = await kata('test', 'visit-counter', '--dir', 'katas/visit-counter/solution', '--seed', '1');
    expect(stderr).toBe('');
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/^visit-counter: seed 1, node host, \d+\.\d\d s$/m);
    expect(stdout).toContain('✓ every visit is counted, whichever process answers');
    expect(stdout).not.toContain('✗');
    expect(stdout).toMatch(/\n(\d+) passed, 0 failed, 0 could not run\n?$/);
  });

  it('test <kata> --dir <starter> exits 1, marks the failures and says how to replay', async () => {
    const { code, stdout } = await kata('test', 'visit-counter', '--dir', 'katas/visit-counter/starter', '--seed', '1');
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('✗ every visit is counted, whichever process answers');
    expect(stdout).toContain('what happened:');
    expect(stdout).toContain('replay: npm run kata -- test visit-counter --dir katas/visit-counter/starter --seed 1');
    expect(stdout).toMatch(/\d+ passed, [1-9]\d* failed, 0 could not run/);
  });

  it('test --json prints a version 1 JSON report', async () => {
    const { code, stdout } = await kata(
      'test', 'visit-counter', '--dir', 'katas/visit-counter/starter', '--seed', '3', '--json',
      '--only', 'every visit is counted, whichever process answers', '--only', 'the count survives restarts and deploys',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ version: 1, kata: 'visit-counter', status: 'fail', seed: 3, host: 'node', message: null });
    expect(report.tests).toHaveLength(2);
    for (const entry of report.tests) {
      expect(Object.keys(entry).sort()).toEqual(['duration_ms', 'location', 'message', 'name', 'seed', 'status', 'trace']);
      expect(['pass', 'fail', 'error']).toContain(entry.status);
      expect(Array.isArray(entry.trace)).toBe(true);
    }
    expect(report.tests.some((entry: { status: string }) => entry.status === 'fail')).toBe(true);
  });

  it('test --sample --only runs just the named visible test', async () => {
    const { code, stdout } = await kata(
      'test', 'visit-counter', '--dir', 'katas/visit-counter/solution', '--seed', '1', '--sample', '--json',
      '--only', 'the count survives restarts and deploys',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).tests.map((entry: { name: string }) => entry.name)).toEqual(['the count survives restarts and deploys']);
  });

  it('a syntax error in the learner\'s files exits 1 with the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-broken-'));
    try {
      cpSync(join(ROOT, 'katas/visit-counter/starter'), dir, { recursive: true });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'app.ts'), 'export default {\n  fetch() { return new Response(; }\n};\n');
      const { code, stdout } = await kata('test', 'visit-counter', '--dir', dir, '--seed', '1', '--json');
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      expect(report.status).toBe('error');
      expect(report.message).toMatch(/^app\.ts:2:\d+ syntax error/);
      expect(report.tests[0].location).toMatchObject({ file: 'app.ts', line: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('test without --dir exits 2 with a usage message', async () => {
    const { code, stdout, stderr } = await kata('test', 'visit-counter');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--dir <path> is required');
    expect(stderr).toContain(USAGE);
  });

  it('an unknown kata exits 2 naming it', async () => {
    const { code, stderr } = await kata('test', 'no-such-kata', '--dir', 'katas/visit-counter/solution');
    expect(code).toBe(2);
    expect(stderr).toContain('no kata named "no-such-kata"');
    expect(stderr).toContain('visit-counter');
  });

  it.each(['abc', String(2 ** 32)])('--seed %s exits 2', async (seed) => {
    const { code, stderr } = await kata('test', 'visit-counter', '--dir', 'katas/visit-counter/solution', `--seed=${seed}`);
    expect(code).toBe(2);
    expect(stderr).toContain('--seed must be an integer from 0 to 4294967295');
  });

  it('a --dir that is not a folder exits 2', async () => {
    const { code, stderr } = await kata('test', 'visit-counter', '--dir', 'katas/visit-counter/nowhere');
    expect(code).toBe(2);
    expect(stderr).toContain('katas/visit-counter/nowhere is not a folder');
  });

  it('an unknown command or option exits 2 with the usage', async () => {
    const unknown = await kata('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const option = await kata('test', 'visit-counter', '--dri', 'x');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain(USAGE);
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await kata('--help');
    expect(code).toBe(0);
    expect(stdout).toContain(USAGE);
  });

  it('grade --class <dir> grades every learner folder, an empty one included, and exits 1 when one fails', async () => {
    const { code, stdout, stderr } = await kata('grade', 'visit-counter', '--class', classDir, '--seed', '1');
    expect(stderr).toBe('');
    expect(code, stdout).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('visit-counter: 3 learners, seed 1');
    const row = (learner: string) => lines.find((line) => line.startsWith(`  ${learner} `));
    expect(row('alice')).toMatch(/^ {2}alice +visit-counter +pass +(\d+)\/\1$/);
    expect(row('bob')).toMatch(/^ {2}bob +visit-counter +FAIL +\d+\/\d+ {2}\S.*: \S/);
    expect(row('carol')).toMatch(/^ {2}carol +visit-counter +ERROR +0\/\d+ {2}\S*carol has no \.ts or \.js files$/);
    expect(lines.at(-2)).toBe('1 passed, 1 failed, 1 could not be graded, 0 not handed in (seed 1 for everyone)');
  });

  it('test --only with a name that is no test exits 2 and lists the tests', async () => {
    const { code, stderr } = await kata('test', 'visit-counter', '--dir', 'katas/visit-counter/solution', '--only', 'no such test');
    expect(code).toBe(2);
    expect(stderr).toContain('no hidden test named "no such test"');
    expect(stderr).toContain('  every visit is counted, whichever process answers');
  });

  it('grade without --class exits 2', async () => {
    const { code, stderr } = await kata('grade', 'visit-counter');
    expect(code).toBe(2);
    expect(stderr).toContain('grade needs --class <dir>');
  });
});

describe('learner code graded by the CLI runs sandboxed', SPAWNS, () => {
  it('cannot write files, start programs or read outside the repository and its own folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dojo-evil-'));
    const target = join(dir, 'pwned.txt');
    writeFileSync(join(dir, 'app.ts'), `export default {
  async fetch() {
    const real = (globalThis as any).process;
    const tried: string[] = [];
    for (const [what, attempt] of [
      ['write', () => real.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(target)}, 'x')],
      ['exec', () => real.getBuiltinModule('node:child_process').execSync('true')],
      ['read', () => real.getBuiltinModule('node:fs').readFileSync('/etc/hostname', 'utf8')],
    ] as const) {
      try { attempt(); tried.push(what + ' allowed'); } catch (error) { tried.push(what + ' refused: ' + (error as { code?: string }).code); }
    }
    console.log(tried.join('; '));
    return Response.json({ visits: 0 });
  },
};`);
    try {
      const { code, stdout } = await kata('test', 'visit-counter', '--dir', dir, '--seed', '1', '--json', '--only', 'the count survives restarts and deploys');
      expect(code).toBe(1);
      const logs = JSON.parse(stdout).tests[0].trace.filter((event: { kind: string }) => event.kind === 'log').map((event: { text: string }) => event.text);
      // Refused by Node's permission model, or earlier by the engine's own seal around learner code.
      expect(logs[0]).toMatch(/^write refused: \w+; exec refused: \w+; read refused: \w+$/);
      expect(existsSync(target)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
