import fs from "node:fs";
import { Session } from "node:inspector/promises";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./bench-env";

/**
 * V8 CPU profiles: of this process around some work (`profileCpu`, what `node --cpu-prof` records, but only for that
 * work), or of a child started with `node --cpu-prof` (`readCpuProfile`). The .cpuprofile file opens in Chrome
 * DevTools; `topSelfTime` says where the JavaScript time went without it, and `selfTimeBetween` how the time of the
 * samples taken in one time window divides into groups (e.g. by package: cpu-packages.ts).
 */

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber?: number };
export type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
/** Times in µs of V8's clock (on Linux CLOCK_MONOTONIC: the same as `monotonicMicros` in any process). */
export type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] };

export type SelfTime = { where: string; ms: number; percent: number };

export async function profileCpu<T>(file: string, work: () => Promise<T>): Promise<{ result: T; top: SelfTime[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 500 });
    await session.post("Profiler.start");
    const outcome = await work().then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.result, top: topSelfTime(profile) };
  } finally {
    session.disconnect();
  }
}

/** Self time by module (a package in node_modules, or a file of the repo), then by function within the repo. */
export function topSelfTime(profile: Profile, limit = 15): SelfTime[] {
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const place = placeOf(node.callFrame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
  }
  return [...byPlace.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([where, hits]) => ({
      where,
      ms: Math.round((hits / Math.max(1, totalHits)) * totalMs),
      percent: Math.round((hits / Math.max(1, totalHits)) * 1000) / 10,
    }));
}

function placeOf(frame: ProfileNode["callFrame"]): string {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name; // (garbage collector), (idle), (program), native code
  const url = frame.url.replace(/^file:\/\//, "");
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return `${inModules[1]} (${name})`;
  if (url.startsWith("node:")) return `${url} (${name})`;
  return `${path.relative(REPO_ROOT, url)}:${frame.lineNumber + 1} ${name}`;
}

export function readCpuProfile(file: string): Profile {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
}

/** Now on the clock of V8's profiles, in µs: to mark time windows in the profile of another process. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export type TimeWindow = { startUs: number; endUs: number };

/**
 * The self time of the samples taken within `window`, in ms by group (`groupOf` a node; null leaves it out, as for
 * idle time), and in all. Each sample counts the time until the next one, as in DevTools.
 */
export function selfTimeBetween(
  profile: Profile,
  window: TimeWindow,
  groupOf: (node: ProfileNode) => string | null,
): { busyMs: number; byGroup: Record<string, number> } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const groups = new Map<number, string | null>();
  const byGroup: Record<string, number> = {};
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  let busyUs = 0;
  for (let index = 0; index < samples.length; index += 1) {
    at += deltas[index] ?? 0;
    if (at < window.startUs || at >= window.endUs) continue;
    const id = samples[index] as number;
    let group = groups.get(id);
    if (group === undefined) {
      const node = nodes.get(id);
      group = node ? groupOf(node) : null;
      groups.set(id, group);
    }
    if (group === null) continue;
    const us = Math.max(0, deltas[index + 1] ?? 0);
    byGroup[group] = (byGroup[group] ?? 0) + us / 1000;
    busyUs += us;
  }
  return { busyMs: busyUs / 1000, byGroup };
}

/**
 * `groupOf`, except that a node of one of the `passThrough` groups (e.g. Node's internals) is charged to its nearest
 * caller of another group: the socket writes pg asks for are pg's, the crypto of a sealed session cookie is the
 * session's. What nothing outside those groups called (the HTTP parser, the event loop) keeps its own group.
 */
export function chargedToCaller(
  profile: Profile,
  groupOf: (node: ProfileNode) => string | null,
  passThrough: ReadonlySet<string>,
): (node: ProfileNode) => string | null {
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const own = new Map<number, string | null>();
  const ownGroup = (node: ProfileNode) => {
    if (!own.has(node.id)) own.set(node.id, groupOf(node));
    return own.get(node.id) ?? null;
  };
  return (node) => {
    const group = ownGroup(node);
    if (group === null || !passThrough.has(group)) return group;
    for (let caller = parentOf.get(node.id); caller; caller = parentOf.get(caller.id)) {
      const callerGroup = ownGroup(caller);
      if (callerGroup !== null && !passThrough.has(callerGroup)) return callerGroup;
    }
    return group;
  };
}

/**
 * The original source of a profiled function: through the source map beside its file (`<file>.map`, as Next writes
 * for its server chunks and its precompiled runtime), else its file itself; `node:…` and other URLs as they are.
 */
export function createSourceResolver(): (frame: CallFrame) => string {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string): SourceMap | null => {
    let map = maps.get(file);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
      } catch {
        map = null; // no map, or not one Node can read
      }
      maps.set(file, map);
    }
    return map;
  };
  return (frame) => {
    if (!frame.url.startsWith("file:")) return frame.url;
    const file = fileURLToPath(frame.url);
    const entry = mapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
    const original = entry && "originalSource" in entry ? entry.originalSource : undefined;
    if (!original) return file;
    if (original.startsWith("file:")) return fileURLToPath(original);
    // Relative to the map: Turbopack writes `../../../../node_modules/next/…`.
    return /^[a-z]+:/.test(original) ? original : path.resolve(path.dirname(file), decodeURIComponent(original));
  };
}
