// Entry of one process on the browser host: a Web Worker running the shared process runtime.
import { createProcessRuntime, warmUp } from '../../process/runtime.ts';
import type { ToProcess } from '../../process/protocol.ts';
import { workerScope } from './scope.ts';

const scope = workerScope();
const runtime = createProcessRuntime((message) => scope.postMessage(message));
scope.addEventListener('message', (event: MessageEvent<ToProcess>) => runtime.receive(event.data));
scope.addEventListener('error', (event) => {
  event.preventDefault();
  runtime.fatal(event.error ?? new Error(event.message), 'uncaught');
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  runtime.fatal(event.reason, 'rejection');
});

void warmUp();
