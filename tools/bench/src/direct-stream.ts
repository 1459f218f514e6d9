import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { directInput } from './bench-model.ts';

/** Timings of one streamed answer, as a client saw them (performance.now() based, ms). */
export interface StreamTiming {
  /** Request start to the first text chunk. */
  ttftMs: number;
  /** Request start to the end of the answer. */
  totalMs: number;
  /** Arrival time of each text chunk, relative to request start. */
  chunkAt: number[];
  /** Text chunks received. */
  chunks: number;
  /** Error message when the stream failed. */
  error?: string;
}

/** A runtime client like the worker's (default SDK HTTP/2 handler), with dummy credentials, for the emulator. */
export function directClient(emulatorUrl: string): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: emulatorUrl,
    region: 'us-east-1',
    maxAttempts: 2,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
  });
}

/** One ConverseStream call straight to the emulator: the floor any pool can reach. */
export async function runDirectStream(client: BedrockRuntimeClient, directives: string): Promise<StreamTiming> {
  const t0 = performance.now();
  const chunkAt: number[] = [];
  try {
    const out = await client.send(new ConverseStreamCommand(directInput(directives)));
    if (!out.stream) throw new Error('no event stream');
    for await (const ev of out.stream) {
      if (ev.contentBlockDelta?.delta?.text !== undefined) chunkAt.push(performance.now() - t0);
    }
    return { ttftMs: chunkAt[0] ?? Number.NaN, totalMs: performance.now() - t0, chunkAt, chunks: chunkAt.length };
  } catch (err) {
    return {
      ttftMs: chunkAt[0] ?? Number.NaN,
      totalMs: performance.now() - t0,
      chunkAt,
      chunks: chunkAt.length,
      error: (err as Error).message,
    };
  }
}
