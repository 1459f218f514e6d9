import { readFileSync } from 'node:fs';
import os from 'node:os';

/** CPU time and memory of a process, from /proc (Linux). */
export interface ProcSample {
  /** user + system CPU time of every thread, ms. */
  cpuMs: number;
  /** The system (kernel) part of cpuMs: syscalls, loopback TCP. */
  sysMs: number;
  /** Resident set size, bytes. */
  rssBytes: number;
  /** When the sample was taken (performance.now()). */
  at: number;
}

const clockTicks = 100; // USER_HZ on Linux

/** Reads /proc/<pid>/stat and /proc/<pid>/status; undefined when the process is gone or /proc is missing. */
export function readProcSample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return {
      cpuMs: ((utime + stime) * 1000) / clockTicks,
      sysMs: (stime * 1000) / clockTicks,
      rssBytes: rss ? Number(rss[1]) * 1024 : Number.NaN,
      at: performance.now(),
    };
  } catch {
    return undefined;
  }
}

/** CPU percent of one core between two samples. */
export function cpuPercent(a: ProcSample | undefined, b: ProcSample | undefined): number {
  if (!a || !b || b.at <= a.at) return Number.NaN;
  return ((b.cpuMs - a.cpuMs) / (b.at - a.at)) * 100;
}

/** The machine, for the report. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  platform: string;
}

export function readMachineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Machine-wide CPU counters from /proc/stat (every process, including other tenants of a shared machine). */
export interface MachineCpuSample {
  busy: number;
  total: number;
}

export function readMachineCpu(): MachineCpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Machine busy time between two samples, in % of one core (2 cores fully busy = 200). */
export function machineBusyPercent(
  a: MachineCpuSample | undefined,
  b: MachineCpuSample | undefined,
  cores = os.availableParallelism(),
): number {
  if (!a || !b || b.total <= a.total) return Number.NaN;
  return ((b.busy - a.busy) / (b.total - a.total)) * 100 * cores;
}
