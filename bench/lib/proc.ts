/** Memory and CPU of a process from /proc (Linux), and the machine's own CPU counters. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

let clockTicks: number | undefined;
/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat and /proc/stat. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcSample {
  /** Date.now() when read. */
  at: number;
  /** Resident set size now, and its peak (VmHWM), in MiB. */
  rssMiB: number;
  hwmMiB: number;
  /** CPU time used since the process started (user + system), in seconds. */
  cpuSec: number;
  threads: number;
}

const kib = (status: string, field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);

export function sampleProcess(pid: number): ProcSample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return {
    at: Date.now(),
    rssMiB: Math.round((kib(status, 'VmRSS') / 1024) * 10) / 10,
    hwmMiB: Math.round((kib(status, 'VmHWM') / 1024) * 10) / 10,
    cpuSec: (utime + stime) / ticksPerSecond(),
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN),
  };
}

/** CPU seconds the whole machine spent busy and in total (all cores), from /proc/stat. */
export function machineCpu(): { busySec: number; totalSec: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busySec: busy / ticksPerSecond(), totalSec: (busy + idle + iowait) / ticksPerSecond() };
}

/** Percent of one core used between two samples of the same process. */
export function cpuPercent(a: ProcSample, b: ProcSample): number {
  const wall = (b.at - a.at) / 1000;
  return wall > 0 ? Math.round(((b.cpuSec - a.cpuSec) / wall) * 1000) / 10 : NaN;
}
