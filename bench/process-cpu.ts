import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times; 100 on every Linux the bench runs on. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used, with those of its children it has waited for; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    // Fields after the command name, which may hold spaces: state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && parentOf(Number(entry)) === pid)
    .map(Number);
}

/**
 * CPU seconds of a process and all its children (PostgreSQL: the postmaster and its backends).
 * A child that exits is added to its parent's times once reaped, so a child reaped between the
 * reading of its own times and its parent's would count twice: the reading is taken again then.
 * One reaped before its own times are read is already in its parent's.
 */
export function processTreeCpuSeconds(pid: number): number {
  for (;;) {
    const children = childrenOf(pid);
    const childSeconds = children.reduce((sum, child) => sum + processCpuSeconds(child), 0);
    const own = processCpuSeconds(pid);
    const still = new Set(childrenOf(pid));
    if (children.every((child) => still.has(child))) return own + childSeconds;
  }
}

/** The machine's CPU time so far: idle and total, in ticks, summed over every core. */
export function machineTicks(): { idle: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle counts iowait too, as top does not; here idle means "could have run".
  const idle = ticks[3]! + (ticks[4] ?? 0);
  return { idle, total: ticks.slice(0, 8).reduce((sum, value) => sum + value, 0) };
}

/** CPU measured over one scenario: seconds of each named process, and the share of the machine left idle. */
export interface CpuReport {
  /** CPU seconds per named process (or process tree) during the scenario. */
  seconds: Record<string, number>;
  /** Share of all cores' time nobody used, 0..1. */
  idle: number;
}

/** Starts measuring; `stop` answers what each source used since. Sources read their own CPU seconds so far. */
export function measureCpu(sources: Record<string, () => number>): { stop(): CpuReport } {
  const startTicks = machineTicks();
  const start = Object.fromEntries(Object.entries(sources).map(([name, read]) => [name, read()]));
  return {
    stop() {
      const endTicks = machineTicks();
      const seconds = Object.fromEntries(Object.entries(sources).map(([name, read]) => [name, Number((read() - start[name]!).toFixed(3))]));
      const idle = (endTicks.idle - startTicks.idle) / Math.max(1, endTicks.total - startTicks.total);
      return { seconds, idle: Number(idle.toFixed(3)) };
    },
  };
}

/** Microseconds of CPU that source `name` of `report` used per unit of work (event, append, ack) over the same window. */
export function cpuMicrosPer(report: CpuReport, name: string, units: number): number {
  return ((report.seconds[name] ?? 0) / Math.max(1, units)) * 1e6;
}

/** This process's own CPU seconds (the bench's in-process writers). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
