// Builds the static search index of the site with Pagefind's Node API once Astro has written the pages.
import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';

export function pagefind(): AstroIntegration {
  return {
    name: 'stateless-dojo:pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const { createIndex, close } = await import('pagefind');
        const { index, errors } = await createIndex({});
        if (!index) throw new Error(`pagefind could not start: ${errors.join('; ')}`);
        const site = fileURLToPath(dir);
        const added = await index.addDirectory({ path: site });
        if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: `${site}/pagefind` });
        if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
        logger.info(`search index: ${added.page_count} pages`);
        await close();
      },
    },
  };
}
