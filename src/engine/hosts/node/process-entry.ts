// Entry of one process on the Node host: a worker thread serving process generations (see process/generations.ts).
import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { warmUp } from '../../process/runtime.ts';
import { serveGenerations, type HostToIsolate } from '../../process/generations.ts';

const port = parentPort!;
// This isolate's own count (not the whole program's): ArrayBuffers live outside the heap that resourceLimits caps.
const isolate = serveGenerations((message) => port.postMessage(message), { externalMemory: () => getHeapStatistics().external_memory });
port.on('message', (message: HostToIsolate) => isolate.receive(message));
process.on('uncaughtException', (error) => isolate.fatal(error, 'uncaught'));
process.on('unhandledRejection', (reason) => isolate.fatal(reason, 'rejection'));

// Load Node's fetch classes, lock down and compile the runtime while this process waits as a spare, not in its first request.
void warmUp();
