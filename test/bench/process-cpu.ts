/**
 * CPU time of the benchmark's processes from /proc (Linux), to say which process a run
 * saturates. Elsewhere every reading is empty and the benchmark prints no CPU column.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

interface ProcStat {
  comm: string;
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    // Fields after "(comm)": state ppid … utime (14th field overall) stime (15th).
    const fields = text.slice(close + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { comm, ppid: Number(fields[1]), cpuMs: ((utime + stime) * 1000) / ticksPerSecond };
  } catch {
    return undefined;
  }
}

/** The direct children of this process whose command name is `comm`, e.g. `nats-server`. */
export function childPids(comm: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const stat = readStat(pid);
      return stat?.ppid === process.pid && stat.comm === comm;
    });
}

/** A named process to watch; pid `self` is this process. */
export interface WatchedProcess {
  name: string;
  pid: number | 'self';
}

function cpuMsOf(pid: number | 'self'): number | undefined {
  if (pid === 'self') {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  return readStat(pid)?.cpuMs;
}

/**
 * Starts a CPU reading of `processes`; the returned function gives each one's share of one
 * core (percent) since then, leaving out processes /proc does not show.
 */
export function startCpuReading(
  processes: readonly WatchedProcess[],
): () => { name: string; percent: number }[] {
  const startedAt = performance.now();
  const before = processes.map((watched) => cpuMsOf(watched.pid));
  return () => {
    const elapsedMs = performance.now() - startedAt;
    return processes.flatMap((watched, index) => {
      const start = before[index];
      const end = cpuMsOf(watched.pid);
      if (start === undefined || end === undefined || elapsedMs <= 0) return [];
      return [{ name: watched.name, percent: ((end - start) / elapsedMs) * 100 }];
    });
  };
}

/** Resident memory of `pid` in MiB (VmRSS), or undefined where /proc does not show it. */
export function rssMib(pid: number | 'self'): number | undefined {
  if (pid === 'self') return process.memoryUsage.rss() / 2 ** 20;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** `name rss MiB, …` of the watched processes now. */
export function rssLine(processes: readonly WatchedProcess[]): string {
  return processes
    .flatMap((watched) => {
      const mib = rssMib(watched.pid);
      return mib === undefined ? [] : [`${watched.name} ${mib.toFixed(0)}`];
    })
    .join(', ');
}
