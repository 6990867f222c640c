// Writes the deploy configs (public/_headers, vercel.json, deploy/nginx.conf) from src/utils/headers.ts.
// Run it after changing the headers there: `./node_modules/.bin/node scripts/write-headers.ts`; a unit test fails
// while any config differs from what this writes.
import { writeFileSync } from 'node:fs';
import { DEPLOY_CONFIGS } from '../src/utils/headers.ts';

for (const [path, generate] of Object.entries(DEPLOY_CONFIGS)) {
  writeFileSync(new URL(`../${path}`, import.meta.url), generate());
  console.log(`wrote ${path}`);
}
