// The dedicated-worker global as our worker entries use it (the project's type-check has the DOM lib, not WebWorker).
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

export const workerScope = (): WorkerScope => self as unknown as WorkerScope;
