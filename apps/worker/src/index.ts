export { startWorkerHost, type WorkerHost } from './start-worker-host.ts';
export type { WorkerHostOptions } from './worker-host-options.ts';
export { resolveWorkerHostOptions } from './resolve-worker-host-options.ts';
export type { TurnTask } from './turn-task.ts';
