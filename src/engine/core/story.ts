// What a test run did, as a timeline model and as plain sentences, from its trace (DOM-free: the page and the CLI use it).
export * from './story/timeline-model.ts';
export * from './story/sentences.ts';
