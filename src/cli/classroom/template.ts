// The files of a GitHub Classroom assignment template for one kata: the starter, the sample tests, a README for the
// learner, and an autograding workflow that fetches this project's grader and gives one point per hidden test.
import type { Kata } from '../../engine/kata/kata.ts';
import { stringify } from 'yaml';

/** What a workflow holds: YAML's scalars, lists and mappings. */
type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

/** Where the workflow (and the learner, to run tests locally) puts this project: a dot-folder the grader never copies. */
export const DOJO_PATH = '.dojo';
export const WORKFLOW_PATH = '.github/workflows/classroom.yml';
/** GitHub Classroom's own actions: one command per test with its points, and the reporter that adds them up. */
export const COMMAND_GRADER = 'classroom-resources/autograding-command-grader@v1';
export const REPORTER = 'classroom-resources/autograding-grading-reporter@v1';
/** Minutes per test: above the grader's own 10-minute limit, so a wedged app gets the grader's message, not a bare time-out. */
export const STEP_TIMEOUT_MINUTES = 15;

export interface TemplateOptions {
  kata: Kata;
  /** the text of the kata's tests/sample.ts */
  sampleTests: string;
  /** this project: a repository URL (or GitHub's owner/name) and the ref the workflow checks out */
  dojo: { repository: string; ref: string };
  seed: number;
  /** the site's address, for links to the kata's page and lesson */
  siteUrl: string;
}

/** The command that grades the learner's files (the folder above .dojo) with the hidden tests, or one of them. */
export function gradeCommand(slug: string, seed: number, testName?: string): string {
  return `npm --prefix ${DOJO_PATH} run -s kata -- test ${slug} --dir .. --seed ${seed}${testName === undefined ? '' : ` --only ${shellQuote(testName)}`}`;
}

/** The command a learner runs to try the sample tests on their machine. */
export function sampleCommand(slug: string): string {
  return `npm --prefix ${DOJO_PATH} run -s kata -- test ${slug} --dir .. --sample`;
}

/** owner/name when the repository is on GitHub (actions/checkout fetches it then), else undefined. */
export function githubRepository(repository: string): string | undefined {
  const match = /^(?:https:\/\/github\.com\/|git@github\.com:)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(repository);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The URL `git clone` takes: GitHub's HTTPS address for a GitHub repository (no SSH key needed), else as given. */
export function cloneUrl(repository: string): string {
  const github = githubRepository(repository);
  return github ? `https://github.com/${github}.git` : repository;
}

/** Every file of the template, by path. */
export function templateFiles(options: TemplateOptions): Record<string, string> {
  const { kata } = options;
  return {
    ...kata.starter,
    'tests/sample.ts': options.sampleTests,
    'README.md': readme(options),
    'package.json': `${JSON.stringify(packageJson(options), null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    '.gitignore': `${DOJO_PATH}/\nnode_modules/\n`,
    [WORKFLOW_PATH]: workflow(options),
  };
}

/** The id of the workflow step of the n-th hidden test (letters and digits only: the reporter's runner names). */
export function stepId(index: number): string {
  return `test${index + 1}`;
}

export function workflow({ kata, dojo, seed }: TemplateOptions): string {
  const ids = kata.hidden.map((_, index) => stepId(index));
  const github = githubRepository(dojo.repository);
  const fetchDojo: YamlValue = github
    ? { name: 'Check out the grader (Stateless Dojo)', uses: 'actions/checkout@v4', with: { repository: github, ref: dojo.ref, path: DOJO_PATH } }
    : {
        name: 'Check out the grader (Stateless Dojo)',
        run: `git init -q ${DOJO_PATH} && git -C ${DOJO_PATH} fetch -q --depth 1 ${shellQuote(dojo.repository)} ${shellQuote(dojo.ref)} && git -C ${DOJO_PATH} checkout -q FETCH_HEAD`,
      };
  return [
    `# Grades ${kata.meta.title} (${kata.slug}) on every push: one point per hidden test of Stateless Dojo's grader,`,
    `# fetched at ${dojo.ref} (the hidden tests are not in this repository), every learner with seed ${seed}.`,
    '# Written by `npm run kata -- classroom`; GitHub Classroom reads the points from the reporter step.',
    // The yaml package quotes whatever YAML could misread (a test name with a colon, a hash or quotes); lineWidth 0
    // keeps each command on one line.
    stringify({
      name: 'Autograding Tests',
      on: ['push', 'workflow_dispatch', 'repository_dispatch'],
      permissions: { checks: 'write', actions: 'read', contents: 'read' },
      jobs: {
        'run-autograding-tests': {
          'runs-on': 'ubuntu-latest',
          // Classroom's own first commit of the template is not a hand-in.
          if: "github.actor != 'github-classroom[bot]'",
          steps: [
            { name: "Check out the learner's code", uses: 'actions/checkout@v4' },
            fetchDojo,
            { name: 'Set up Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '24', cache: 'npm', 'cache-dependency-path': `${DOJO_PATH}/package-lock.json` } },
            { name: "Install the grader's packages", run: `npm ci --prefix ${DOJO_PATH} --no-audit --no-fund` },
            ...kata.hidden.map((test, index): YamlValue => ({
              name: test.name,
              id: ids[index]!,
              uses: COMMAND_GRADER,
              with: {
                'test-name': test.name,
                'setup-command': '',
                command: gradeCommand(kata.slug, seed, test.name),
                timeout: STEP_TIMEOUT_MINUTES,
                'max-score': 1,
              },
            })),
            {
              name: 'Autograding Reporter',
              uses: REPORTER,
              env: Object.fromEntries(ids.map((id) => [`${id.toUpperCase()}_RESULTS`, `\${{ steps.${id}.outputs.result }}`])),
              with: { runners: ids.join(',') },
            },
          ],
        },
      },
    }, { lineWidth: 0 }),
  ].join('\n');
}

function packageJson({ kata, dojo }: TemplateOptions): Record<string, unknown> {
  return {
    name: kata.slug,
    private: true,
    description: `${kata.meta.title}: a Stateless Dojo kata`,
    scripts: {
      setup: `git clone ${shellQuote(cloneUrl(dojo.repository))} ${DOJO_PATH} && git -C ${DOJO_PATH} checkout -q ${shellQuote(dojo.ref)} && npm ci --prefix ${DOJO_PATH} --no-audit --no-fund`,
      test: sampleCommand(kata.slug),
    },
  };
}

/** For the learner's editor: `dojo` and `dojo/testing` are found in the .dojo checkout once `npm run setup` has made it. */
const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    module: 'preserve',
    moduleResolution: 'bundler',
    lib: ['es2023', 'dom', 'dom.iterable'],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    typeRoots: [`./${DOJO_PATH}/node_modules/@types`],
    types: ['node'],
    paths: {
      dojo: [`./${DOJO_PATH}/src/engine/learner/dojo.d.ts`],
      'dojo/testing': [`./${DOJO_PATH}/src/engine/testing/index.ts`],
    },
  },
  exclude: [DOJO_PATH, 'node_modules'],
};

function readme({ kata, dojo, seed, siteUrl }: TemplateOptions): string {
  const site = siteUrl.replace(/\/+$/, '');
  const page = `${site}/katas/${kata.slug}/`;
  const lesson = `${site}/lessons/${kata.meta.lesson}/`;
  const files = Object.keys(kata.starter).sort();
  const tests = kata.hidden.length;
  return `# ${kata.meta.title}

A kata from [Stateless Dojo](${site}/), on factor VI of the Twelve-Factor App (processes): ${lowerFirst(kata.meta.summary)}
Its page on the site, where you can also solve it in the browser: <${page}>. The lesson it practises: <${lesson}>.

## The brief

${shiftHeadings(withoutTitle(kata.brief)).trim()}

## Your files

${files.map((file) => `- \`${file}\`${fileRole(kata, file)}`).join('\n')}
- \`tests/sample.ts\`: the sample tests, to read. They start your app as several processes behind a load balancer
  that sends each request to any of them, and restart and kill processes on a replayable schedule.

Change the app's files (add files if you like); leave \`tests/\`, \`package.json\` and \`.github/\` as they are.

## Run the sample tests on your machine

You need git and Node.js 20 or later (with npm). Once, in this folder:

\`\`\`sh
npm run setup
\`\`\`

It clones Stateless Dojo (its engine and test runner) into \`${DOJO_PATH}/\`, at the version your class is graded
with, and installs its packages; \`.gitignore\` keeps that folder out of your commits. Then, whenever you like:

\`\`\`sh
npm test
\`\`\`

runs the sample tests on your files (\`${sampleCommand(kata.slug)}\`). A failing test prints what happened, request by
request, and the command that replays exactly that run (run it inside \`${DOJO_PATH}/\`). Add \`-- --only "<test name>"\`
to run one test.

## How grading works

Every push runs \`${WORKFLOW_PATH}\` in GitHub Actions. It fetches Stateless Dojo at \`${dojo.ref}\` (the hidden tests
live there, not in this repository) and runs each of the kata's ${tests} hidden tests on your files, as a step of its
own: **one point per hidden test, ${tests} in all**. The hidden tests check everything the brief asks, more thoroughly
than the sample tests (processes killed at random among them), so passing the sample tests is a good sign, not yet full
marks.

Every learner is graded with the same seed, ${seed}: the same schedule of requests, restarts and kills, so a run
replays exactly. The **Actions** tab shows each test's result; a failing step's log says what went wrong and why. To
run what the grader runs, on your machine:

\`\`\`sh
${gradeCommand(kata.slug, seed)}
\`\`\`

Each push is graded again; GitHub Classroom keeps the points of your latest push.

---

Made with \`npm run kata -- classroom ${kata.slug}\` from Stateless Dojo (${dojo.repository} at \`${dojo.ref}\`).
`;
}

/** What a starter file is to the platform: a process type's entry, the build step, or (nothing said) a module. */
function fileRole(kata: Kata, file: string): string {
  const types = Object.entries(kata.meta.processes).filter(([, entry]) => entry === file).map(([type]) => type);
  if (types.includes('web')) return ` (the ${types.join(' and ')} process${types.length > 1 ? 'es' : ''}: start here)`;
  if (types.length > 0) return ` (the ${types.join(' and ')} process${types.length > 1 ? 'es' : ''})`;
  if (file === kata.meta.build) return ' (the build step: runs once per release, before any process starts)';
  return '';
}

/** The brief without its own first-level title: the README has one. */
function withoutTitle(markdown: string): string {
  return markdown.replace(/^\s*# [^\n]*\n/, '');
}

/** Every heading one level down (outside code blocks), so the brief's sections sit under "The brief". */
function shiftHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

function lowerFirst(text: string): string {
  // "A counter…" reads on after a colon as "a counter…"; "API keys…" keeps its capitals.
  return /^[A-Z](?![A-Z])/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** One POSIX shell word: single-quoted unless it is made of characters no shell treats specially. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
