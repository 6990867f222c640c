// Wrong: see app.ts. The worker is the web module again.
export { default } from './app.ts';
