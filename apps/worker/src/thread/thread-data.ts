import { workerData } from 'node:worker_threads';
import type { CredentialInfo } from '@turnpool/credentials';
import type { ResolvedWorkerHostOptions } from '../worker-host-options.ts';

/** What the host hands every thread at start (piscina `workerData`). */
export interface ThreadData {
  options: ResolvedWorkerHostOptions;
  hostId: string;
  /** Detected once by the host (one IMDS probe per host, not per thread); plain data, no secret. */
  credentials: CredentialInfo;
}

let inlineData: ThreadData | undefined;
let inlineEnv: NodeJS.ProcessEnv | undefined;

/**
 * Inline mode (no threads): the host sets the data the threads would get as workerData, and the
 * environment they would get as their own (`WorkerHostOptions.env`).
 */
export function setThreadData(data: object, env: NodeJS.ProcessEnv): void {
  inlineData = data as ThreadData;
  inlineEnv = env;
}

/** Where this thread reads credentials and the region: `WorkerHostOptions.env` (a thread's own environment is it). */
export function threadEnv(): NodeJS.ProcessEnv {
  return inlineEnv ?? process.env;
}

export function threadData(): ThreadData {
  const data = (inlineData ?? workerData) as ThreadData | undefined;
  if (!data?.options) throw new Error('thread started without worker host options');
  return data;
}
