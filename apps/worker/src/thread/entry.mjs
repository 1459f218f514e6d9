// piscina worker-thread entry when turnpool runs from its TypeScript sources (dev, tests): a
// worker thread has its own module loader, so tsx is registered here before the task module
// loads. The built worker host (dist/) points piscina at dist/thread/run-turn-task.js instead.
import { register } from 'tsx/esm/api';

register();
export const { runTurnTask } = await import('./run-turn-task.ts');
