import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { buildConverseRequest, classifyBedrockError, mapConverseStream } from '@turnpool/bedrock';
import { TurnError, type TurnEventBody } from '@turnpool/protocol';
import type { TurnOutcome } from '@turnpool/turn-store';
import { runAttempt } from '@turnpool/turn-store/runner';
import type { TurnTask } from '../turn-task.ts';
import { Watchdog } from '../watchdog.ts';
import { threadData } from './thread-data.ts';
import { threadCancels, threadLabel, threadRedis, threadRuntimeClient } from './thread-resources.ts';

export { closeThreadResources } from './thread-resources.ts';

/**
 * Runs one attempt of one turn (the piscina task; inline mode calls it on the main thread):
 * libs/turn-store's runner does the Redis side (skip an ended turn, honour a cancel, attempt
 * and seq, the one terminal event); this supplies the call — ConverseStream through the
 * mapper, guarded by the watchdog — and the classification of what Bedrock threw.
 */
export async function runTurnTask(task: TurnTask): Promise<TurnOutcome> {
  const { options: o } = threadData();
  const { turnId, request, model } = task.data;

  async function* callBedrock(controller: AbortController): AsyncGenerator<TurnEventBody> {
    const dog = new Watchdog(controller, o.timeouts);
    try {
      const input = buildConverseRequest(request, model, o.guardrail === undefined ? {} : { guardrail: o.guardrail });
      const client = await threadRuntimeClient(model.region);
      const startedAt = Date.now();
      const out = await client.send(new ConverseStreamCommand(input), { abortSignal: controller.signal });
      if (!out.stream) throw new TurnError('upstream_unavailable', 'Bedrock answered without an event stream.');
      dog.chunk();
      // The mapper tells the watchdog about every event (no generator in between: that is per event).
      for await (const body of mapConverseStream(out.stream, {
        onEvent: () => dog.chunk(),
        startedAt,
        prices: model.cost,
        modelId: model.modelId,
        signal: controller.signal,
      })) {
        yield body;
        if (body.type === 'turn-end') return;
      }
      throw new TurnError('upstream_unavailable', 'The Bedrock stream ended without a result.');
    } finally {
      dog.stop();
    }
  }

  return runAttempt({
    redis: threadRedis(),
    keyPrefix: o.keyPrefix,
    ttlSeconds: o.streamTtlSeconds,
    lingerMs: o.streamLingerMs,
    writeRetryMs: o.streamWriteRetryMs,
    turnId,
    model,
    bullAttempt: task.bullAttempt,
    isFinalAttempt: task.isFinalAttempt,
    worker: threadLabel(),
    hostId: o.workerId,
    cancels: threadCancels(task.cancelChannel),
    retryAfterOutput: o.retryAfterOutput,
    throttleWaits: task.throttleWaits ?? false,
    hasFallback: task.hasFallback ?? false,
    call: callBedrock,
    classify: (err, signal) => classifyBedrockError(err, { signal, modelId: model.modelId }),
  });
}
