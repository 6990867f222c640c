// `kata classroom`: the template repository it writes, its autograding workflow read as GitHub reads it, and that
// workflow's grader commands run here as GitHub Classroom's command grader runs them.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadKata } from '../../../src/engine/kata/load-node.ts';
import type { Kata } from '../../../src/engine/kata/kata.ts';
import { COMMAND_GRADER, REPORTER, shellQuote, templateFiles, WORKFLOW_PATH } from '../../../src/cli/classroom/template.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SLUG = 'visit-counter';
const KATA = join(ROOT, 'katas', SLUG);
const POSIX = process.platform !== 'win32';
/** A last resort, not a measure of speed: ten gradings in a row on a busy two-core machine. */
const GRADINGS = { timeout: 900_000 };

const scratch = mkdtempSync(join(tmpdir(), 'dojo-classroom-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let made = 0;
const fresh = (name: string) => join(scratch, `${made++}-${name}`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node src/cli/kata.ts ...args`, from the repository. */
function kata(args: string[]): Promise<Run> {
  return run(process.execPath, ['src/cli/kata.ts', ...args], ROOT, { ...process.env, NO_COLOR: '1' });
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Every file under a folder, by relative path, dot-files included. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

function steps(workflow: unknown): Step[] {
  return (workflow as { jobs: Record<string, { steps: Step[] }> }).jobs['run-autograding-tests']!.steps;
}

const graderSteps = (all: Step[]) => all.filter((step) => step.uses === COMMAND_GRADER);

let template: string;
let generated: Run;
let visitCounter: Kata;

beforeAll(async () => {
  template = fresh('template');
  visitCounter = await loadKata(SLUG);
  generated = await kata(['classroom', SLUG, '--out', template, '--dojo-repo', 'https://github.com/example/stateless-dojo', '--dojo-ref', 'v1.2.0', '--site-url', 'https://dojo.example.org']);
}, 300_000);

describe('the template repository', () => {
  it('holds the starter, the sample tests, a README, the setup files and the workflow, and nothing of the answers', () => {
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(tree(template)).toEqual(['.github/workflows/classroom.yml', '.gitignore', 'README.md', 'app.ts', 'package.json', 'tests/sample.ts', 'tsconfig.json']);
    expect(readFileSync(join(template, 'app.ts'), 'utf8')).toBe(readFileSync(join(KATA, 'starter/app.ts'), 'utf8'));
    expect(readFileSync(join(template, 'tests/sample.ts'), 'utf8')).toBe(readFileSync(join(KATA, 'tests/sample.ts'), 'utf8'));
    const everything = tree(template).map((file) => readFileSync(join(template, file), 'utf8')).join('\n');
    expect(everything).not.toContain(readFileSync(join(KATA, 'solution/app.ts'), 'utf8').trim());
    expect(everything).not.toContain('export default [\n  ...samples'); // the hidden tests' module
    expect(readFileSync(join(template, '.gitignore'), 'utf8')).toContain('.dojo/');
    expect(generated.stdout).toContain(`${visitCounter.hidden.length} hidden tests, 1 point each`);
  });

  it('has a README with the brief, how to run the sample tests, how grading works and the kata\'s page', () => {
    const readme = readFileSync(join(template, 'README.md'), 'utf8');
    expect(readme).toMatch(/^# Visit counter\n/);
    expect(readme).toContain('## The brief\n\nThis little app counts visits to a home page.');
    expect(readme).toContain('npm run setup');
    expect(readme).toContain('npm test');
    expect(readme).toContain(`one point per hidden test, ${visitCounter.hidden.length} in all`);
    expect(readme).toContain('with the same seed, 1');
    expect(readme).toContain('https://dojo.example.org/katas/visit-counter/');
    expect(readme).toContain('https://dojo.example.org/lessons/one-or-more-processes/');
    const scripts = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8')).scripts;
    expect(scripts.setup).toBe('git clone https://github.com/example/stateless-dojo.git .dojo && git -C .dojo checkout -q v1.2.0 && npm ci --prefix .dojo --no-audit --no-fund');
    expect(scripts.test).toBe('npm --prefix .dojo run -s kata -- test visit-counter --dir .. --sample');
  });

  it('tells the learner what each starter file is: a process type\'s entry, the build step or a module', async () => {
    const blog = await loadKata('wordpress-blog');
    const readme = templateFiles({ kata: blog, sampleTests: '', dojo: { repository: 'example/dojo', ref: 'main' }, seed: 1, siteUrl: 'https://dojo.example.org' })['README.md']!;
    expect(readme).toContain('- `app.ts` (the web process: start here)\n');
    expect(readme).toContain('- `worker.ts` (the worker process)\n');
    expect(readme).toContain('- `build.ts` (the build step: runs once per release, before any process starts)\n');
    expect(readme).toContain('- `mail.ts`\n');
  });
});

describe('the autograding workflow', () => {
  it('parses as YAML and runs on push and on GitHub Classroom\'s dispatch, with the permissions its reporter needs', () => {
    const workflow = parse(readFileSync(join(template, WORKFLOW_PATH), 'utf8'), { strict: true, uniqueKeys: true });
    expect(workflow.on).toEqual(['push', 'workflow_dispatch', 'repository_dispatch']);
    expect(workflow.permissions).toEqual({ checks: 'write', actions: 'read', contents: 'read' });
    expect(workflow.jobs['run-autograding-tests'].if).toBe("github.actor != 'github-classroom[bot]'");
  });

  it('checks out the learner\'s code, then the grader at the pinned ref into .dojo, and installs the grader\'s packages', () => {
    const all = steps(parse(readFileSync(join(template, WORKFLOW_PATH), 'utf8')));
    expect(all.slice(0, 4)).toEqual([
      { name: "Check out the learner's code", uses: 'actions/checkout@v4' },
      { name: 'Check out the grader (Stateless Dojo)', uses: 'actions/checkout@v4', with: { repository: 'example/stateless-dojo', ref: 'v1.2.0', path: '.dojo' } },
      { name: 'Set up Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '24', cache: 'npm', 'cache-dependency-path': '.dojo/package-lock.json' } },
      { name: "Install the grader's packages", run: 'npm ci --prefix .dojo --no-audit --no-fund' },
    ]);
  });

  it('has one command-grader step per hidden test, named after it and worth one point, and a reporter that adds up every one', () => {
    const all = steps(parse(readFileSync(join(template, WORKFLOW_PATH), 'utf8')));
    const graders = graderSteps(all);
    expect(graders.map((step) => step.name)).toEqual(visitCounter.hidden.map((test) => test.name));
    graders.forEach((step, index) => {
      expect(step.id).toBe(`test${index + 1}`);
      expect(step.with).toEqual({
        'test-name': visitCounter.hidden[index]!.name,
        'setup-command': '',
        command: `npm --prefix .dojo run -s kata -- test visit-counter --dir .. --seed 1 --only '${visitCounter.hidden[index]!.name}'`,
        timeout: 15,
        'max-score': 1,
      });
    });
    const reporter = all.at(-1)!;
    expect(reporter.uses).toBe(REPORTER);
    const ids = graders.map((step) => step.id!);
    expect(reporter.with).toEqual({ runners: ids.join(',') });
    // The reporter reads each runner's result from <ID>_RESULTS (autograding-grading-reporter's src/main.js).
    expect(reporter.env).toEqual(Object.fromEntries(ids.map((id) => [`${id.toUpperCase()}_RESULTS`, `\${{ steps.${id}.outputs.result }}`])));
  });

  it.runIf(POSIX)('keeps a test name with quotes, a colon or a hash the same through YAML and the shell', async () => {
    const name = `it's "odd": # still one test`;
    const odd: Kata = { ...visitCounter, hidden: [{ ...visitCounter.hidden[0]!, name }] };
    const files = templateFiles({ kata: odd, sampleTests: '', dojo: { repository: 'https://git.example.org/dojo.git', ref: 'main' }, seed: 7, siteUrl: 'https://dojo.example.org' });
    const all = steps(parse(files[WORKFLOW_PATH]!, { strict: true, uniqueKeys: true }));
    const [grader] = graderSteps(all);
    expect(grader!.name).toBe(name);
    expect(grader!.with!['test-name']).toBe(name);
    expect(grader!.with!.command).toBe(`npm --prefix .dojo run -s kata -- test visit-counter --dir .. --seed 7 --only ${shellQuote(name)}`);
    expect(spawnSync('sh', ['-c', `printf '%s' ${shellQuote(name)}`], { encoding: 'utf8' }).stdout).toBe(name);
    // Not on GitHub: the grader is fetched with git rather than actions/checkout.
    expect(all[1]).toEqual({ name: 'Check out the grader (Stateless Dojo)', run: 'git init -q .dojo && git -C .dojo fetch -q --depth 1 https://git.example.org/dojo.git main && git -C .dojo checkout -q FETCH_HEAD' });
  });
});

/**
 * A copy of the template as a learner's repository would be on the runner: `.dojo` is this checkout (a real folder of
 * links to what the grader reads, as the workflow's checkout is a real folder), and `files` replace the starter's.
 */
function learnerRepository(name: string, files: string): string {
  const dir = fresh(name);
  cpSync(template, dir, { recursive: true });
  cpSync(join(KATA, files), dir, { recursive: true });
  mkdirSync(join(dir, '.dojo'));
  for (const entry of ['package.json', 'package-lock.json', 'src', 'katas', 'node_modules']) symlinkSync(join(ROOT, entry), join(dir, '.dojo', entry));
  return dir;
}

/** Each grader step's command, in the repository's folder, as the command grader runs it (execSync: /bin/sh, its small environment); the points it gives. */
async function points(repository: string): Promise<{ points: number; max: number; runs: Run[] }> {
  const graders = graderSteps(steps(parse(readFileSync(join(repository, WORKFLOW_PATH), 'utf8'))));
  const env = { PATH: process.env.PATH, FORCE_COLOR: 'true', DOTNET_CLI_HOME: '/tmp', DOTNET_NOLOGO: 'true', HOME: process.env.HOME };
  const runs: Run[] = [];
  // Two at a time: each is a grading of its own, as on the runner one step after another.
  for (let at = 0; at < graders.length; at += 2) {
    runs.push(...(await Promise.all(graders.slice(at, at + 2).map((step) => run('/bin/sh', ['-c', String(step.with!.command)], repository, env)))));
  }
  const score = runs.reduce((sum, result, index) => sum + (result.code === 0 ? Number(graders[index]!.with!['max-score']) : 0), 0);
  return { points: score, max: graders.reduce((sum, step) => sum + Number(step.with!['max-score']), 0), runs };
}

describe.runIf(POSIX)('the workflow\'s grader commands, run in the template', () => {
  it('give the starter less than full marks, failing the test that counts visits across processes', GRADINGS, async () => {
    const result = await points(learnerRepository('starter', 'starter'));
    expect(result.max).toBe(visitCounter.hidden.length);
    expect(result.points).toBeLessThan(result.max);
    expect(result.runs[0]!.code).toBe(1);
    expect(result.runs[0]!.stdout).toContain('✗ every visit is counted, whichever process answers');
    expect(result.runs.every((one) => one.code === 0 || one.code === 1)).toBe(true); // failed, never "could not run"
  });

  it('give the reference solution every point, and its sample tests pass with the README\'s npm test', GRADINGS, async () => {
    const repository = learnerRepository('solution', 'solution');
    const result = await points(repository);
    expect(result.runs.map((one) => one.code)).toEqual(visitCounter.hidden.map(() => 0));
    expect(result.points).toBe(visitCounter.hidden.length);
    const sample = await run('npm', ['test'], repository, { PATH: process.env.PATH, HOME: process.env.HOME });
    expect(sample.code).toBe(0);
    expect(sample.stdout).toContain(`${visitCounter.sample.length} passed, 0 failed`);
  });
});

describe('refusals', () => {
  it('refuses an unknown kata, naming the katas there are, and writes nothing', async () => {
    const out = fresh('unknown');
    const result = await kata(['classroom', 'no-such-kata', '--out', out, '--dojo-repo', 'https://github.com/example/dojo', '--dojo-ref', 'main']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no kata named "no-such-kata"; the katas are: ');
    expect(result.stderr).toContain('visit-counter');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a command without --out, or without a kata', async () => {
    const noOut = await kata(['classroom', SLUG]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out <dir> is required');
    const noKata = await kata(['classroom', '--out', fresh('no-kata')]);
    expect(noKata.code).toBe(2);
    expect(noKata.stderr).toContain('which kata?');
  });

  it('refuses an --out folder that is not empty, or is a file, and leaves it as it was', async () => {
    const full = fresh('full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.md'), 'mine');
    const result = await kata(['classroom', SLUG, '--out', full, '--dojo-repo', 'https://github.com/example/dojo', '--dojo-ref', 'main']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(tree(full)).toEqual(['notes.md']);
    const file = join(full, 'notes.md');
    const onFile = await kata(['classroom', SLUG, '--out', file, '--dojo-repo', 'https://github.com/example/dojo', '--dojo-ref', 'main']);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain('exists and is not a folder');
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('takes an empty --out folder', async () => {
    const empty = fresh('empty');
    mkdirSync(empty);
    const result = await kata(['classroom', SLUG, '--out', empty, '--dojo-repo', 'https://github.com/example/dojo', '--dojo-ref', 'main']);
    expect(result.code).toBe(0);
    expect(tree(empty)).toContain(WORKFLOW_PATH);
  });

  it('refuses a ref or repository that could not be written into a command safely', async () => {
    const ref = await kata(['classroom', SLUG, '--out', fresh('ref'), '--dojo-repo', 'https://github.com/example/dojo', '--dojo-ref', 'main; rm -rf ~']);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toContain('is not a branch, tag or commit name');
    const repo = await kata(['classroom', SLUG, '--out', fresh('repo'), '--dojo-repo', 'https://example.org/$(id)', '--dojo-ref', 'main']);
    expect(repo.code).toBe(2);
    expect(repo.stderr).toContain('is not a repository URL');
  });

  it('documents the command in help', async () => {
    const help = await kata(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run kata -- classroom <slug> --out <dir>');
  });
});
