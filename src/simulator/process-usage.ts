// CPU time and resident memory of a process, read from /proc (Linux), for the benchmark's per-call figures.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100;

export interface ProcessUsage {
  cpuMs: number;
  rssBytes: number;
}

export function readProcessUsage(pid: number): ProcessUsage {
  // Fields after the command name, which is in parentheses and may contain spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_S, rssBytes: rssKb * 1024 };
}
