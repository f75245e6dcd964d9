import fs from "node:fs";
import path from "node:path";
import { exitIfAnyDies } from "../lib/bench-children";
import type { AppEnv } from "../lib/bench-env";
import { startWebServer, waitUntilAnswering } from "../lib/bench-web";
import { NODE_GROUPS, packageOf } from "../lib/cpu-packages";
import {
  chargedToCaller,
  createSourceResolver,
  monotonicMicros,
  readCpuProfile,
  selfTimeBetween,
  type Profile,
  type ProfileNode,
  type TimeWindow,
} from "../lib/cpu-profile";
import { errorCount, runAutocannon, type LoadResult } from "../lib/http-load";
import { cpuBetween, cpuSnapshot, waitUntilQuiet } from "../lib/proc-cpu";
import { createProgress, fmt, round, step } from "../lib/report";
import type { Address } from "./addresses";

/**
 * Where the CPU of a request goes: a second, shorter pass at each address against a web server started with
 * `node --cpu-prof` (stopped with SIGINT, so that it writes its profile). The bench marks when each address's pass
 * began and ended on the profile's own clock, and sums the self time of the samples in between by package, Node's own
 * code charged to the package that called it (the sockets pg writes to are pg's time).
 */

export type AddressProfile = {
  name: Address["name"];
  /** Requests sent in the profiled pass (the time is that of all of them: the window ends once the last is done). */
  requestsSent: number;
  answers: number;
  /** Answers per second, as autocannon counts them. */
  requestsPerSecond: number | null;
  errors: number;
  /**
   * Time of the main thread's samples that were not idle, per request: wall time between samples, so a machine busy
   * with others inflates it; background GC threads are not in it.
   */
  mainThreadBusyMsPerRequest: number | null;
  /** CPU of all of the profiled server's threads per request, from /proc (the profiler's own cost included). */
  processCpuMsPerRequest: number | null;
  /** Self time by package, most first: ms in all, % of the profiled time, ms per request. */
  byPackage: { package: string; ms: number; percent: number; msPerRequest: number }[];
};

type Pass = { address: Address; window: TimeWindow; load: LoadResult; processCpuMs: number | null };

export type ProfileSettings = {
  appDir: string;
  port: number;
  /** The web server's environment, as in the measured pass. */
  env: AppEnv;
  logDir: string;
  connections: number;
  durationS: number;
  warmupS: number;
  databaseName: string;
};

/** Starts the profiled web server, runs the pass at each address, stops it and summarizes its profile by address. */
export async function profileAddresses(
  addresses: readonly Address[],
  settings: ProfileSettings,
): Promise<{ profiles: AddressProfile[]; profileFile: string }> {
  const dir = path.join(settings.logDir, "cpu-profile");
  fs.mkdirSync(dir, { recursive: true });
  const web = startWebServer({
    name: "web (profiled)",
    appDir: settings.appDir,
    port: settings.port,
    env: settings.env,
    logFile: path.join(settings.logDir, "web-profiled.log"),
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  step(`Profiling: a web server started with node --cpu-prof (pid ${web.child.pid}), ${settings.durationS} s at each address`);
  await waitUntilAnswering(web);
  const stoppingOnPurpose = exitIfAnyDies([web.child]);
  const cpuOf = { roots: { web: web.child.pid }, databaseName: settings.databaseName };
  const passes: Pass[] = [];
  const progress = createProgress();
  for (const address of addresses) {
    const load = { connections: settings.connections };
    const ticking = (phase: string) => (answers: number) => progress.update(`  ${address.name}: ${phase}, ${answers.toLocaleString("en")} answers`);
    await runAutocannon(address.target, { ...load, durationS: Math.max(1, settings.warmupS), onProgress: ticking("warm-up") });
    await waitUntilQuiet(web.child.pid);
    const before = cpuSnapshot(cpuOf);
    const startUs = monotonicMicros();
    const result = await runAutocannon(address.target, { ...load, durationS: settings.durationS, onProgress: ticking("profiled") });
    // The window ends once the requests autocannon left behind are done: its time is that of all the requests sent.
    await waitUntilQuiet(web.child.pid);
    const endUs = monotonicMicros();
    const cpu = cpuBetween(before, cpuSnapshot(cpuOf));
    const webPercent = cpu.percentByGroup.web;
    passes.push({ address, window: { startUs, endUs }, load: result, processCpuMs: webPercent === undefined ? null : (webPercent / 100) * cpu.seconds * 1000 });
    progress.done(`  ✓ ${address.name}: ${fmt(result.requestsPerSecond)} req/s under the profiler`);
  }
  stoppingOnPurpose();
  const stop = await web.child.stop({ signal: "SIGINT", timeoutMs: 30_000 });
  if (stop.forced) throw new Error("The profiled web server did not stop on SIGINT, so it wrote no profile");
  const profileFile = findProfile(dir, web.child.pid);
  const profile = readCpuProfile(profileFile);
  const resolve = createSourceResolver();
  const groupOf = chargedToCaller(
    profile,
    (node) => packageOf({ functionName: node.callFrame.functionName, source: resolve(node.callFrame) }, settings.appDir),
    NODE_GROUPS,
  );
  return { profiles: passes.map((pass) => summarizePass(profile, pass, groupOf)), profileFile };
}

/** The profile the server's main thread wrote (`CPU.<date>.<pid>.0.<n>.cpuprofile`). */
function findProfile(dir: string, pid: number): string {
  const names = fs.readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  const own = names.find((name) => name.split(".")[3] === String(pid)) ?? names[0];
  if (!own) throw new Error(`The profiled web server wrote no .cpuprofile into ${dir}`);
  return path.join(dir, own);
}

function summarizePass(profile: Profile, pass: Pass, groupOf: (node: ProfileNode) => string | null): AddressProfile {
  if (pass.window.startUs < profile.startTime || pass.window.endUs > profile.endTime) {
    throw new Error("The profile does not cover the profiled passes: its clock is not this process's (process.hrtime)");
  }
  const { busyMs, byGroup } = selfTimeBetween(profile, pass.window, groupOf);
  const requests = pass.load.requestsSent;
  const perRequest = (ms: number | null) => (ms !== null && requests > 0 ? round(ms / requests, 3) : null);
  return {
    name: pass.address.name,
    requestsSent: requests,
    answers: pass.load.requests,
    requestsPerSecond: pass.load.requestsPerSecond,
    errors: errorCount(pass.load),
    mainThreadBusyMsPerRequest: perRequest(busyMs),
    processCpuMsPerRequest: perRequest(pass.processCpuMs),
    byPackage: Object.entries(byGroup)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({
        package: name,
        ms: round(ms) ?? 0,
        percent: round(busyMs > 0 ? (ms / busyMs) * 100 : 0) ?? 0,
        msPerRequest: perRequest(ms) ?? 0,
      })),
  };
}
