import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describeExit, startBenchChild } from "./bench-children";
import { FRESH_KEY, type LoadOptions, type LoadResult, type LoadTarget } from "./http-load";
import { round } from "./report";

/**
 * The same closed loop as runAutocannon, with wrk (C, one thread here) where it is installed: a second opinion that
 * costs the machine less CPU than autocannon's JavaScript. A Lua script made for the target sets the method, headers
 * and body (a fresh idempotency key per request), counts the answers of another status, and prints the figures as one
 * JSON line.
 */

/** wrk's path when it is on the PATH, null otherwise. */
export function findWrk(): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "wrk");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

const RESULT_PREFIX = "WRK_RESULT ";

type WrkSummary = {
  requests: number;
  durationUs: number;
  errors: { connect: number; read: number; write: number; timeout: number };
  unexpected: Record<string, number>;
  p50Us: number;
  p99Us: number;
};

/** Runs wrk at `target` (its script and log under `workDir`, named `name`); onProgress is not called (wrk runs apart). */
export async function runWrk(wrk: string, target: LoadTarget, options: LoadOptions & { workDir: string; name: string }): Promise<LoadResult> {
  fs.mkdirSync(options.workDir, { recursive: true });
  const script = path.join(options.workDir, `${options.name}.lua`);
  fs.writeFileSync(script, wrkScript(target, randomBytes(4).toString("hex")));
  let summary: WrkSummary | undefined;
  const child = startBenchChild({
    name: `wrk ${options.name}`,
    command: wrk,
    args: ["-t", "1", "-c", String(options.connections), "-d", `${options.durationS}s`, "--timeout", "30s", "-s", script, `http://127.0.0.1:${target.port}${target.path}`],
    cwd: options.workDir,
    env: process.env,
    logFile: path.join(options.workDir, `${options.name}.log`),
    onLine: (line) => {
      if (line.startsWith(RESULT_PREFIX)) summary = JSON.parse(line.slice(RESULT_PREFIX.length)) as WrkSummary;
    },
  });
  const exit = await child.exited;
  if (exit.code !== 0 || !summary) throw new Error(`wrk failed (${describeExit(exit)}):\n${child.tail(20)}`);
  const seconds = summary.durationUs / 1e6;
  const { connect, read, write, timeout } = summary.errors;
  return {
    tool: "wrk",
    requests: summary.requests,
    requestsSent: summary.requests,
    seconds: round(seconds, 2) ?? 0,
    requestsPerSecond: round(seconds > 0 ? summary.requests / seconds : null),
    latencyMs: { p50: round(summary.p50Us / 1000, 2), p99: round(summary.p99Us / 1000, 2) },
    unexpectedStatuses: summary.unexpected,
    socketErrors: connect + read + write + timeout,
  };
}

/** A Lua string literal (JSON's escapes are Lua's for printable ASCII, all that is ever passed here). */
function lua(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`Not printable ASCII, cannot pass it to wrk: ${text}`);
  return JSON.stringify(text);
}

/** The Lua script of one target; `salt` keeps its idempotency keys apart from every other run's. */
export function wrkScript(target: LoadTarget, salt: string): string {
  const headers = { ...target.headers, ...(target.bodyTemplate ? { "content-type": "application/json" } : {}) };
  const lines = [
    "-- Made by scripts/bench/lib/wrk.ts for one address of a benchmark.",
    `wrk.method = ${lua(target.method)}`,
    ...Object.entries(headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`),
    `local expected = ${target.expectedStatus}`,
    "local threads = {}",
    "local thread_count = 0",
    "function setup(thread)",
    "  thread_count = thread_count + 1",
    "  thread:set('thread_id', thread_count)",
    "  table.insert(threads, thread)",
    "end",
    "function init(args)",
    "  sent = 0",
    "  unexpected = {}",
    "end",
  ];
  if (target.bodyTemplate) {
    lines.push(
      `local template = ${lua(target.bodyTemplate)}`,
      "function request()",
      "  sent = sent + 1",
      `  local key = "wrk-${salt}-" .. thread_id .. "-" .. sent`,
      `  local body = string.gsub(template, ${lua(FRESH_KEY)}, key)`,
      "  return wrk.format(nil, nil, nil, body)",
      "end",
    );
  }
  lines.push(
    "function response(status, headers, body)",
    "  if status ~= expected then unexpected[status] = (unexpected[status] or 0) + 1 end",
    "end",
    "function done(summary, latency, requests)",
    "  local totals = {}",
    "  for _, thread in ipairs(threads) do",
    "    for status, count in pairs(thread:get('unexpected')) do totals[status] = (totals[status] or 0) + count end",
    "  end",
    "  local parts = {}",
    "  for status, count in pairs(totals) do table.insert(parts, string.format('\"%d\":%d', status, count)) end",
    "  local e = summary.errors",
    `  io.write(string.format('${RESULT_PREFIX}{"requests":%d,"durationUs":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..`,
    `    '"unexpected":{%s},"p50Us":%d,"p99Us":%d}\\n', summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout,`,
    "    table.concat(parts, ','), math.floor(latency:percentile(50)), math.floor(latency:percentile(99))))",
    "end",
  );
  return `${lines.join("\n")}\n`;
}
