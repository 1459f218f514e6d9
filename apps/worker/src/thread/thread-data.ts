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

/** Inline mode (no threads): the host sets the data the threads would get as workerData. */
export function setThreadData(data: object): void {
  inlineData = data as ThreadData;
}

export function threadData(): ThreadData {
  const data = (inlineData ?? workerData) as ThreadData | undefined;
  if (!data?.options) throw new Error('thread started without worker host options');
  return data;
}
