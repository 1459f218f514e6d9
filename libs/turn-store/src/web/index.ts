// @turnpool/turn-store/web: the pure part of the package a browser can load (the console page
// imports it) — no Redis, no BullMQ, no Node module. Everything here is also in the `.` entry.
export { readSse, type SseFrame } from '../event-log/read-sse.ts';
export { isTerminalEvent } from '../event-log/is-terminal-event.ts';
