// Entry of one process on the browser host: a Web Worker serving process generations (see process/generations.ts).
import { warmUp } from '../../process/runtime.ts';
import { serveGenerations, type HostToIsolate } from '../../process/generations.ts';
import { workerScope } from './scope.ts';

const scope = workerScope();
const isolate = serveGenerations((message) => scope.postMessage(message));
scope.addEventListener('message', (event: MessageEvent<HostToIsolate>) => isolate.receive(event.data));
scope.addEventListener('error', (event) => {
  event.preventDefault();
  isolate.fatal(event.error ?? new Error(event.message), 'uncaught');
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  isolate.fatal(event.reason, 'rejection');
});

void warmUp();
