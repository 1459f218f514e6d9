import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const redisServerBin = () => process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
let pdeathsig: boolean | undefined;

/**
 * Starts `redis-server <args>` so that it dies with the test process: under `setpriv
 * --pdeathsig SIGKILL` (util-linux, Linux) the kernel kills it when the process that spawned it
 * ends, even by kill -9 of a test run; where setpriv is missing, an `exit` handler kills it
 * (enough for a failing test or a normal end, not for kill -9).
 */
export function spawnRedisServer(args: string[]): ChildProcess {
  pdeathsig ??= spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', 'true']).status === 0;
  const child = pdeathsig
    ? spawn('setpriv', ['--pdeathsig', 'SIGKILL', redisServerBin(), ...args], { stdio: 'ignore' })
    : spawn(redisServerBin(), args, { stdio: 'ignore' });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  return child;
}
