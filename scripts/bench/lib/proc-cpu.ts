import fs from "node:fs";

/**
 * CPU time per process group, read from /proc (Linux): the bench, each child's process tree, the PostgreSQL backends
 * of the bench database, PostgreSQL's background processes, other PostgreSQL backends, and Redis. Two snapshots give
 * the CPU each used in between, in % of one core (200 % = both cores of this machine).
 */

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

type ProcEntry = { pid: number; ppid: number; ticks: number; comm: string };

export type CpuGroups = Record<string, number[]>;

export type CpuSnapshot = {
  atMs: number;
  machine: { busy: number; total: number };
  ticksByPid: Map<number, number>;
  groups: CpuGroups;
};

function readStat(pid: number): ProcEntry | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { pid, ppid, ticks, comm };
  } catch {
    return null;
  }
}

function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

function allProcesses(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readStat(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Groups the processes of interest: `roots` name child processes whose whole trees are one group each. */
export function cpuSnapshot(options: {
  roots: Record<string, number>;
  databaseName: string;
  /** Group name → client ports of the bench's own connections (its poller, its vacuums): their backends are told apart. */
  ownClientPorts?: Record<string, readonly number[]>;
}): CpuSnapshot {
  const groupOfPort = new Map<number, string>();
  for (const [group, ports] of Object.entries(options.ownClientPorts ?? {})) for (const port of ports) groupOfPort.set(port, group);
  const pgOwn: Record<string, number[]> = Object.fromEntries(Object.keys(options.ownClientPorts ?? {}).map((group) => [group, []]));
  const processes = allProcesses();
  const childrenOf = new Map<number, number[]>();
  for (const entry of processes) {
    const siblings = childrenOf.get(entry.ppid) ?? [];
    siblings.push(entry.pid);
    childrenOf.set(entry.ppid, siblings);
  }
  const treeOf = (root: number): number[] => {
    const pids: number[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop() as number;
      pids.push(pid);
      stack.push(...(childrenOf.get(pid) ?? []));
    }
    return pids;
  };

  const groups: CpuGroups = { bench: [process.pid] };
  for (const [name, root] of Object.entries(options.roots)) groups[name] = treeOf(root);
  const pgBench: number[] = [];
  const pgBackground: number[] = [];
  const pgOther: number[] = [];
  const redis: number[] = [];
  for (const entry of processes) {
    if (entry.comm === "postgres") {
      const cmdline = readCmdline(entry.pid);
      // Backends: "postgres: 15/main: <user> <database> <client> <state>"; background: "postgres: 15/main: walwriter".
      const match = /^postgres: [^:]+: (\S+) (\S+) /.exec(cmdline);
      if (!cmdline.startsWith("postgres: ")) pgBackground.push(entry.pid); // the postmaster
      else if (match && match[2] === options.databaseName) {
        const group = groupOfPort.get(Number(/\((\d+)\)/.exec(cmdline)?.[1]));
        (group ? (pgOwn[group] as number[]) : pgBench).push(entry.pid);
      }
      else if (match && /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(cmdline)) pgOther.push(entry.pid);
      else pgBackground.push(entry.pid);
    } else if (entry.comm.startsWith("redis-server")) {
      redis.push(entry.pid);
    }
  }
  groups["postgres (bench db)"] = pgBench;
  Object.assign(groups, pgOwn);
  groups["postgres (background)"] = pgBackground;
  groups["postgres (other dbs)"] = pgOther;
  groups.redis = redis;

  return {
    atMs: performance.now(),
    machine: machineTicks(),
    ticksByPid: new Map(processes.map((entry) => [entry.pid, entry.ticks])),
    groups,
  };
}

export type CpuUsage = {
  seconds: number;
  /** % of one core per group, over the interval. */
  percentByGroup: Record<string, number>;
  /** % of the whole machine's capacity used by everything (100 = all cores busy). */
  machineBusyPercent: number;
  cores: number;
};

export function cpuBetween(start: CpuSnapshot, end: CpuSnapshot): CpuUsage {
  const seconds = (end.atMs - start.atMs) / 1000;
  const percentByGroup: Record<string, number> = {};
  for (const [name, pids] of Object.entries(end.groups)) {
    let ticks = 0;
    for (const pid of pids) ticks += (end.ticksByPid.get(pid) ?? 0) - (start.ticksByPid.get(pid) ?? 0);
    percentByGroup[name] = round1((ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100);
  }
  const busy = end.machine.busy - start.machine.busy;
  const total = end.machine.total - start.machine.total;
  const cores = navigatorCores();
  // Everything else on the machine (other people's tests, builds, browsers…): what the figures had to share it with.
  const ours = Object.entries(percentByGroup)
    .filter(([name]) => name !== "postgres (other dbs)")
    .reduce((sum, [, percent]) => sum + percent, 0);
  percentByGroup["not this bench"] = total > 0 ? round1(Math.max(0, (busy / total) * cores * 100 - ours)) : 0;
  return {
    seconds,
    percentByGroup,
    machineBusyPercent: total > 0 ? round1((busy / total) * 100) : 0,
    cores,
  };
}

function navigatorCores(): number {
  const text = fs.readFileSync("/proc/stat", "utf8");
  return text.split("\n").filter((line) => /^cpu\d+ /.test(line)).length;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Resolves once the process tree of `root` used less than `percent` % of a core over `intervalMs`, or after
 * `timeoutMs` (false then): a load generator that stops leaves the server busy with the requests it abandoned.
 */
export async function waitUntilQuiet(root: number, options: { percent?: number; intervalMs?: number; timeoutMs?: number } = {}): Promise<boolean> {
  const { percent = 10, intervalMs = 250, timeoutMs = 20_000 } = options;
  const deadline = performance.now() + timeoutMs;
  const snapshot = () => cpuSnapshot({ roots: { quiet: root }, databaseName: "" });
  let quietIntervals = 0;
  let before = snapshot();
  // Two quiet intervals in a row: one could fall between two bursts of work.
  while (quietIntervals < 2) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const after = snapshot();
    quietIntervals = (cpuBetween(before, after).percentByGroup.quiet ?? 0) < percent ? quietIntervals + 1 : 0;
    before = after;
  }
  return true;
}
