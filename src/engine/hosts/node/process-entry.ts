// Entry of one process on the Node host: a worker thread running the shared process runtime.
import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { createProcessRuntime, warmUp } from '../../process/runtime.ts';
import type { ToProcess } from '../../process/protocol.ts';

const port = parentPort!;
// This isolate's own count (not the whole program's): ArrayBuffers live outside the heap that resourceLimits caps.
const runtime = createProcessRuntime((message) => port.postMessage(message), { externalMemory: () => getHeapStatistics().external_memory });
port.on('message', (message: ToProcess) => runtime.receive(message));
process.on('uncaughtException', (error) => runtime.fatal(error, 'uncaught'));
process.on('unhandledRejection', (reason) => runtime.fatal(reason, 'rejection'));

// Load Node's fetch classes and compile the runtime while this process waits as a spare, not in its first request.
void warmUp();
