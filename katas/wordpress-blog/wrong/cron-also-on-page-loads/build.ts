// The build step: it runs once per release, before any process starts, and whatever it writes to `fs`
// is on the disk of every process of that release. It concatenates and minifies the theme's
// stylesheets and scripts, names each file by its content, and writes a manifest the app reads.
import type { Env } from 'dojo';
import type * as NodeFs from 'node:fs';
import { DIST, MANIFEST } from './minify.ts';
import { contentHash, minifyCss, minifyJs, SCRIPTS, STYLES, type AssetUrls } from './theme.ts';

export async function build({ fs }: { fs: typeof NodeFs; env: Env }): Promise<void> {
  const css = minifyCss(STYLES);
  const js = minifyJs(SCRIPTS);
  const cssFile = `site.${contentHash(css)}.css`;
  const jsFile = `site.${contentHash(js)}.js`;
  fs.mkdirSync(DIST, { recursive: true });
  fs.writeFileSync(`${DIST}/${cssFile}`, css);
  fs.writeFileSync(`${DIST}/${jsFile}`, js);
  const urls: AssetUrls = { css: `/wp-content/themes/dojo/dist/${cssFile}`, js: `/wp-content/themes/dojo/dist/${jsFile}` };
  fs.writeFileSync(MANIFEST, JSON.stringify(urls));
}
