export { runAttempt, movableErrorCodes, type RunAttemptOptions, type CancelTarget } from './run-attempt.ts';
