import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { BENCH_DIST_DIR } from "../lib/app-mirror";
import { describeFailure, request } from "../lib/http-client";
import { errorCount, freshBody, runAutocannon, type LoadResult } from "../lib/http-load";
import { cpuBetween, cpuSnapshot, waitUntilQuiet } from "../lib/proc-cpu";
import { createProgress, fmt, round } from "../lib/report";
import { runWrk } from "../lib/wrk";
import type { Address } from "./addresses";

/** Measuring one address: a warm-up, autocannon (with the web server's CPU per request from /proc), then wrk. */

export type AddressFigures = {
  name: Address["name"];
  title: string;
  expectedStatus: number;
  targetRatio: number | null;
  autocannon: LoadResult;
  wrk: LoadResult | null;
  /** CPU per request, from /proc: the web server's processes, the front door's HAProxy (when measured through it), and
   * PostgreSQL's backends of the bench database. */
  cpuMsPerRequest: { web: number | null; front: number | null; postgres: number | null };
};

export type MeasureSettings = {
  connections: number;
  durationS: number;
  warmupS: number;
  /** wrk's path, or null to measure with autocannon only. */
  wrk: string | null;
  workDir: string;
  /** The web server's process: its CPU per answer is measured, and it must be quiet before each run. */
  webPid: number;
  /** HAProxy's process, when the address is measured through the front door. */
  frontPid?: number;
  /** How the progress lines name the address, its name by default. */
  label?: string;
  databaseName: string;
};

/** The smallest JavaScript chunk of the build of at least 1 KiB (or the smallest of all): its URL path and size. */
export function pickStaticAsset(appDir: string): { path: string; bytes: number } {
  const dir = path.join(appDir, BENCH_DIST_DIR, "static", "chunks");
  const chunks = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".js"))
    .map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size }))
    .sort((a, b) => a.bytes - b.bytes);
  const chunk = chunks.find((entry) => entry.bytes >= 1024) ?? chunks[0];
  if (!chunk) throw new Error(`No JavaScript chunk in ${dir}`);
  return { path: `/_next/static/chunks/${chunk.name}`, bytes: chunk.bytes };
}

/** One request to each address, before any load: each must answer its expected status and pass its check. */
export async function probeAddresses(agent: http.Agent, addresses: readonly Address[]): Promise<void> {
  for (const address of addresses) {
    const { target } = address;
    const answer = await request({
      agent,
      port: target.port,
      method: target.method,
      path: target.path,
      headers: target.headers,
      body: target.bodyTemplate === undefined ? undefined : JSON.parse(freshBody(target.bodyTemplate)),
      timeoutMs: 60_000,
    });
    const problem = answer.status !== target.expectedStatus ? describeFailure(answer) : "body" in answer ? address.check(answer.body) : "no answer";
    if (problem) throw new Error(`${address.name} (${address.title}) should answer ${target.expectedStatus}: ${problem}`);
  }
}

/** Warms the address up, then measures it with autocannon and (when installed) wrk, with the same load, each from quiet. */
export async function measureAddress(address: Address, settings: MeasureSettings): Promise<AddressFigures> {
  const progress = createProgress();
  const label = settings.label ?? address.name;
  const load = { connections: settings.connections };
  // Each run ends with up to `connections` requests still in the server's hands: they are done before the next starts.
  const settle = () => waitUntilQuiet(settings.webPid);
  const ticking = (phase: string, seconds: number) => {
    const started = performance.now();
    return (answers: number) =>
      progress.update(`  ${label}: ${phase} ${fmt((performance.now() - started) / 1000, 1)}/${seconds} s, ${answers.toLocaleString("en")} answers`);
  };
  if (settings.warmupS > 0) await runAutocannon(address.target, { ...load, durationS: settings.warmupS, onProgress: ticking("warm-up", settings.warmupS) });
  await settle();
  const cpuOf = { roots: { web: settings.webPid, ...(settings.frontPid ? { front: settings.frontPid } : {}) }, databaseName: settings.databaseName };
  const before = cpuSnapshot(cpuOf);
  const autocannon = await runAutocannon(address.target, { ...load, durationS: settings.durationS, onProgress: ticking("autocannon", settings.durationS) });
  // Until the requests it left behind are done too: the CPU of every request sent, divided by the requests sent.
  await settle();
  const cpu = cpuBetween(before, cpuSnapshot(cpuOf));
  let wrk: LoadResult | null = null;
  if (settings.wrk) {
    progress.update(`  ${label}: wrk ${settings.durationS} s…`);
    wrk = await runWrk(settings.wrk, address.target, { ...load, durationS: settings.durationS, workDir: settings.workDir, name: address.name });
    await settle();
  }
  const perRequest = (percent: number | undefined) =>
    autocannon.requestsSent > 0 && percent !== undefined ? round(((percent / 100) * cpu.seconds * 1000) / autocannon.requestsSent, 2) : null;
  progress.done(`  ✓ ${label}: ${describeLoad(autocannon)}${wrk ? `; ${describeLoad(wrk)}` : ""}`);
  return {
    name: address.name,
    title: address.title,
    expectedStatus: address.target.expectedStatus,
    targetRatio: address.targetRatio,
    autocannon,
    wrk,
    cpuMsPerRequest: {
      web: perRequest(cpu.percentByGroup.web),
      front: settings.frontPid ? perRequest(cpu.percentByGroup.front) : null,
      postgres: perRequest(cpu.percentByGroup["postgres (bench db)"]),
    },
  };
}

/** "autocannon 812 req/s, p50 38 ms, p99 95 ms, 0 errors" */
export function describeLoad(result: LoadResult): string {
  return `${result.tool} ${fmt(result.requestsPerSecond)} req/s, p50 ${fmt(result.latencyMs.p50, 1)} ms, p99 ${fmt(result.latencyMs.p99, 1)} ms, ${errorCount(result)} errors`;
}
