// piscina worker-thread entry. turnpool runs TypeScript through tsx, and a worker thread
// has its own module loader, so the loader is registered here before the task module loads.
import { register } from 'tsx/esm/api';

register();
const { runTurnTask } = await import('./run-turn-task.ts');
export default runTurnTask;
