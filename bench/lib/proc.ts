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

/** utime + stime of live processes, and of the exited children they waited for (cutime + cstime), by pid, with each parent. */
function processTable(): Map<number, { ppid: number; cpuSec: number }> {
  const table = new Map<number, { ppid: number; cpuSec: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      table.set(Number(entry), { ppid: Number(f[1]), cpuSec: ticks / ticksPerSecond() });
    } catch {
      // exited while the table was read
    }
  }
  return table;
}

/**
 * A process's proportional share of memory (PSS, MiB): its own pages, and each shared page divided by the processes
 * sharing it, so that summing PostgreSQL's backends counts its shared buffers once. NaN once the process has exited.
 */
function pssMiB(pid: number): number {
  try {
    return kib(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') / 1024;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds and memory (PSS) of each group of processes, each process counted with its descendants: PostgreSQL
 * serves every connection from a process of its own, and runs under `runuser` when started as root.
 */
export function sampleGroups<K extends string>(
  groups: Record<K, number[]>,
): Record<K, { cpuSec: number; rssMiB: number }> {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const tree = (pid: number): number[] => [pid, ...(children.get(pid) ?? []).flatMap(tree)];
  const out = {} as Record<K, { cpuSec: number; rssMiB: number }>;
  for (const key of Object.keys(groups) as K[]) {
    const pids = groups[key].flatMap(tree).filter((pid) => table.has(pid));
    out[key] = {
      cpuSec: pids.length ? pids.reduce((a, pid) => a + table.get(pid)!.cpuSec, 0) : NaN,
      rssMiB: Math.round(pids.reduce((a, pid) => a + (pssMiB(pid) || 0), 0) * 10) / 10,
    };
  }
  return out;
}

/** One sample of several processes taken together (the cluster's two workers): sums of each figure. */
export function sampleSum(pids: number[]): ProcSample {
  const parts = pids.map(sampleProcess);
  const sum = (k: 'rssMiB' | 'hwmMiB' | 'cpuSec' | 'threads') =>
    Math.round(parts.reduce((a, p) => a + p[k], 0) * 100) / 100;
  return {
    at: Date.now(),
    rssMiB: sum('rssMiB'),
    hwmMiB: sum('hwmMiB'),
    cpuSec: sum('cpuSec'),
    threads: sum('threads'),
  };
}
