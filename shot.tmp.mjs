import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1280, height: 2000 } });
const errors = [];
p.on('console', m => m.type() === 'error' && errors.push(m.text()));
for (const [url, file] of process.argv.slice(2).map(a => a.split('='))) {
  await p.goto('http://localhost:4329' + url);
  await p.screenshot({ path: file, fullPage: false });
}
console.log('coi', await p.evaluate(() => crossOriginIsolated), errors);
await b.close();
