import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { REPO_ROOT } from "./bench-env";

/**
 * A V8 CPU profile of this process around some work (what `node --cpu-prof` records, but only for that work): the
 * .cpuprofile file opens in Chrome DevTools, and `topSelfTime` says where the JavaScript time went without it.
 */

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] };

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
