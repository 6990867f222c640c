// The deploy configs and the page policy all come from src/utils/headers.ts, and say what the site needs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEPLOY_CONFIGS, HEADER_POLICY, PAGE_POLICY, RESPONSE_HEADERS, THEME_SCRIPT, scriptHash } from '../../../src/utils/headers.ts';

const directive = (policy: string, name: string) =>
  policy.split(';').map((part) => part.trim()).find((part) => part.split(/\s+/)[0] === name);

describe('deploy configs', () => {
  for (const [path, generate] of Object.entries(DEPLOY_CONFIGS)) {
    it(`${path} is exactly what scripts/write-headers.ts writes from src/utils/headers.ts`, () => {
      expect(readFileSync(path, 'utf8'), `run ./node_modules/.bin/node scripts/write-headers.ts`).toBe(generate());
    });
    it(`${path} sends every response header, isolation and security alike`, () => {
      const text = readFileSync(path, 'utf8');
      for (const [name, value] of Object.entries(RESPONSE_HEADERS)) {
        expect(text).toContain(name);
        expect(text).toContain(value);
      }
    });
  }

  it('astro dev and preview send the same headers as the deploy configs', async () => {
    const config = (await import('../../../astro.config.mjs')).default as { server: { headers: Record<string, string> } };
    expect(config.server.headers).toEqual(RESPONSE_HEADERS);
  });
});

describe('the policies', () => {
  it('the header every response carries forbids framing but never limits scripts, so the process workers keep eval', () => {
    expect(directive(HEADER_POLICY, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    for (const name of ['default-src', 'script-src', 'script-src-elem', 'worker-src']) expect(directive(HEADER_POLICY, name)).toBeUndefined();
  });

  it("the page's own policy allows its scripts and WebAssembly, never eval or inline code", () => {
    const scripts = directive(PAGE_POLICY, 'script-src')!;
    expect(scripts).toContain("'self'");
    expect(scripts).toContain("'wasm-unsafe-eval'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(directive(PAGE_POLICY, 'object-src')).toBe("object-src 'none'");
    expect(directive(PAGE_POLICY, 'frame-src')).toContain('https://stackblitz.com');
  });

  it("the page policy allows the theme script by its hash, and the layout renders exactly that script", () => {
    expect(directive(PAGE_POLICY, 'script-src')).toContain(scriptHash(THEME_SCRIPT));
    const layout = readFileSync('src/layouts/BaseLayout.astro', 'utf8');
    expect(layout).toContain('<script is:inline set:html={THEME_SCRIPT} />');
    expect(layout.match(/<script\b/g)).toHaveLength(1);
    expect(layout).toContain('<meta http-equiv="Content-Security-Policy" content={PAGE_POLICY} />');
  });
});
