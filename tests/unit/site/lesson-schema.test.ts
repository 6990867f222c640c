// A malformed lesson stops the site's build with a message naming the file and the field (astro sync on a fixture site).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const fixtures: string[] = [];
afterAll(() => fixtures.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const VALID = {
  title: '"A lesson"',
  concept: '1',
  order: '1',
  summary: '"A summary long enough to pass the schema check."',
  kata: 'visit-counter',
  minutes: '5',
  objectives: '["You will be able to test schemas"]',
};

/** A fixture site with the real lesson schema and one lesson whose frontmatter is `fields`. */
function siteWith(fields: Record<string, string | undefined>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dojo-lesson-'));
  fixtures.push(dir);
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'lessons'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'astro.config.mjs'), "import { defineConfig } from 'astro/config';\nimport mdx from '@astrojs/mdx';\nexport default defineConfig({ integrations: [mdx()] });\n");
  writeFileSync(join(dir, 'src/content.config.ts'), `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from ${JSON.stringify(join(ROOT, 'src/schemas/lesson.ts'))};
export const collections = { lessons: defineCollection({ loader: glob({ base: './lessons', pattern: '**/*.mdx' }), schema: lessonSchema }) };
`);
  const frontmatter = Object.entries(fields).filter(([, value]) => value !== undefined).map(([key, value]) => `${key}: ${value}`);
  writeFileSync(join(dir, 'lessons/the-lesson.mdx'), `---\n${frontmatter.join('\n')}\n---\n\nBody.\n`);
  return dir;
}

function sync(dir: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'sync', '--root', dir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  // Colours may still come through (CI=true turns them on in some tools): compare plain text.
  const output = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return { status: result.status, output };
}

describe('lesson frontmatter', () => {
  it('a valid lesson passes', () => {
    expect(sync(siteWith(VALID)).status).toBe(0);
  });

  it('a concept outside 1-15 and 6b fails, naming the file and the field', () => {
    const { status, output } = sync(siteWith({ ...VALID, concept: '16' }));
    expect(status).not.toBe(0);
    expect(output).toContain('lessons/the-lesson.mdx');
    expect(output).toMatch(/concept: .*15/);
  });

  it('a missing title fails, naming the file and the field', () => {
    const { status, output } = sync(siteWith({ ...VALID, title: undefined }));
    expect(status).not.toBe(0);
    expect(output).toContain('lessons/the-lesson.mdx');
    expect(output).toMatch(/title/);
  });

  it('an unknown field fails rather than being silently ignored', () => {
    const { status, output } = sync(siteWith({ ...VALID, minuets: '5' }));
    expect(status).not.toBe(0);
    expect(output).toMatch(/minuets/);
  });
});
