// The build step: it runs once per release, before any process starts. Whatever it writes is on the disk of
// every process of that release, and what it writes under /app/public/ the platform serves itself (as a CDN
// would): /app/public/assets/x.js answers GET /assets/x.js, without any process. It does nothing yet.
import type { BuildInput } from 'dojo';

export async function build({ fs, env }: BuildInput): Promise<void> {}
