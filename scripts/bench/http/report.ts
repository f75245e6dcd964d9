import type { BenchRun } from "../lib/bench-run";
import { failUnless, writeBenchResults } from "../lib/bench-results";
import { errorCount, type LoadResult } from "../lib/http-load";
import { fmt, table } from "../lib/report";
import { compareToStatic, describeComparison } from "./compare";
import type { AddressFigures } from "./measure";
import type { HttpBenchOptions } from "./options";
import type { AddressProfile } from "./profile";

/** What a run of the HTTP bench measured, for the tables and the JSON. */
export type HttpBenchRun = {
  run: BenchRun;
  postgres: Record<string, string>;
  webCommand: string;
  buildSeconds: number | null;
  staticAsset: { path: string; bytes: number };
  wrk: string | null;
  /** At the web server. */
  figures: AddressFigures[];
  /** Through the front door (HAProxy and its page cache), unless --no-front. */
  frontFigures: AddressFigures[] | null;
  profiles: AddressProfile[] | null;
  profileFile: string | null;
};

/** A package gets a row of its own in the profile table when it takes this share of some address's time. */
const PACKAGE_ROW_PERCENT = 2;

/** Each address with its ratios to the static asset (by autocannon and by wrk). */
function compared(figures: readonly AddressFigures[]) {
  const reference = figures.find((figure) => figure.name === "static");
  return figures.map((figure) => ({
    ...figure,
    autocannonToStatic: compareToStatic(figure.autocannon, reference?.autocannon ?? null, figure.targetRatio),
    wrkToStatic: compareToStatic(figure.wrk, reference?.wrk ?? null, figure.targetRatio),
  }));
}

/** "0", or "12: 500×10, no answer×2" */
function describeErrors(result: LoadResult | null): string {
  if (!result) return "–";
  const total = errorCount(result);
  if (total === 0) return "0";
  const parts = Object.entries(result.unexpectedStatuses).map(([status, count]) => `${status}×${count}`);
  if (result.socketErrors > 0) parts.push(`no answer×${result.socketErrors}`);
  return `${total}: ${parts.join(", ")}`;
}

/** One row per address: throughput, latency, errors and the share of the static asset's req/s; by wrk too if it ran. */
export function printThroughput(figures: readonly AddressFigures[], connections: number, heading: string): void {
  const rows = compared(figures);
  const target = (ratio: number | null) => (ratio === null ? "reference" : `≥ ${ratio.toFixed(2)}`);
  const throughFront = rows.some((figure) => figure.cpuMsPerRequest.front !== null);
  console.log("");
  console.log(heading);
  console.log(
    table(
      ["address", "request", "req/s", "p50 ms", "p99 ms", "errors", "× static", "target", "web ms/req", ...(throughFront ? ["front ms/req"] : []), "pg ms/req"],
      rows.map((figure) => [
        figure.name,
        figure.title,
        ...loadCells(figure.autocannon),
        describeComparison(figure.autocannonToStatic),
        target(figure.targetRatio),
        fmt(figure.cpuMsPerRequest.web, 2),
        ...(throughFront ? [fmt(figure.cpuMsPerRequest.front, 2)] : []),
        fmt(figure.cpuMsPerRequest.postgres, 2),
      ]),
      { leftColumns: 2 },
    ),
  );
  console.log(
    "  by autocannon; errors = answers of another status than expected, or none; web/front/pg ms/req = CPU of the web " +
      "server's processes / of HAProxy / of PostgreSQL per request sent (/proc), the requests left in flight at the end included.",
  );
  const withTargets = rows.filter((figure) => figure.autocannonToStatic.meetsTarget !== null);
  console.log(`  Targets met: ${withTargets.filter((figure) => figure.autocannonToStatic.meetsTarget).length} of ${withTargets.length}.`);
  warnIfFew(rows.filter((figure) => figure.autocannon.requests < connections).map((figure) => figure.name), "--duration");
  if (!rows.some((figure) => figure.wrk)) {
    console.log("  (wrk is not on the PATH: apt-get install wrk for a second opinion, in C, beside autocannon.)");
    return;
  }
  console.log("");
  console.log(
    table(
      ["address (wrk)", "req/s", "p50 ms", "p99 ms", "errors", "× static", "target"],
      rows.map((figure) => [figure.name, ...loadCells(figure.wrk), describeComparison(figure.wrkToStatic), target(figure.targetRatio)]),
    ),
  );
  const wrkTargets = rows.filter((figure) => figure.wrkToStatic.meetsTarget !== null);
  console.log(`  by wrk, same connections and duration; targets met: ${wrkTargets.filter((figure) => figure.wrkToStatic.meetsTarget).length} of ${wrkTargets.length}.`);
}

/** A run shorter than a few request latencies measures mostly its own start and end. */
function warnIfFew(names: readonly string[], option: string): void {
  if (names.length === 0) return;
  console.log(`  ⚠ ${names.join(", ")}: fewer answers than connections, so those figures are rough; lengthen ${option}.`);
}

/** req/s, p50, p99, errors */
function loadCells(result: LoadResult | null): string[] {
  return [fmt(result?.requestsPerSecond), fmt(result?.latencyMs.p50, 1), fmt(result?.latencyMs.p99, 1), describeErrors(result)];
}

/** One column per address: CPU per request and how it divides between the packages (one row each). */
export function printProfiles(profiles: readonly AddressProfile[], profileFile: string, connections: number): void {
  const share = (profile: AddressProfile, name: string) => profile.byPackage.find((entry) => entry.package === name)?.percent ?? 0;
  const totals = new Map<string, number>();
  for (const profile of profiles) for (const entry of profile.byPackage) totals.set(entry.package, (totals.get(entry.package) ?? 0) + entry.percent);
  const packages = [...totals.entries()]
    .filter(([name]) => profiles.some((profile) => share(profile, name) >= PACKAGE_ROW_PERCENT))
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
  const row = (label: string, cell: (profile: AddressProfile) => string) => [label, ...profiles.map(cell)];
  console.log("");
  console.log("Where the CPU of a request goes (the web server under node --cpu-prof):");
  console.log(
    table(
      ["", ...profiles.map((profile) => profile.name)],
      [
        row("req/s under the profiler", (profile) => fmt(profile.requestsPerSecond)),
        row("errors", (profile) => String(profile.errors)),
        row("main thread busy ms/req", (profile) => fmt(profile.mainThreadBusyMsPerRequest, 2)),
        row("process CPU ms/req", (profile) => fmt(profile.processCpuMsPerRequest, 2)),
        ...packages.map((name) => row(`${name} %`, (profile) => fmt(share(profile, name)))),
        row("rest %", (profile) => fmt(Math.max(0, 100 - packages.reduce((sum, name) => sum + share(profile, name), 0)))),
      ],
    ),
  );
  console.log(
    "  % of the main thread's busy (non-idle) samples, by the package of the function running: Node's own code is " +
      "charged to the package that called it, server code is traced to its package through the build's source maps. " +
      "Busy ms is wall time between samples (a machine busy with others inflates it); process CPU ms is all threads' CPU " +
      `time (/proc), the profiler's included. Profile: ${profileFile} (opens in Chrome DevTools).`,
  );
  warnIfFew(profiles.filter((profile) => profile.answers < connections).map((profile) => profile.name), "--profile-duration");
}

/** bench/results/http-<time>.json (and latest-http.json); exit code 1 if any answer had an unexpected status. */
export function reportHttpBench(options: HttpBenchOptions, result: HttpBenchRun): void {
  const errors =
    [...result.figures, ...(result.frontFigures ?? [])].reduce((sum, figure) => sum + errorCount(figure.autocannon) + (figure.wrk ? errorCount(figure.wrk) : 0), 0) +
    (result.profiles ?? []).reduce((sum, profile) => sum + profile.errors, 0);
  writeBenchResults(
    result.run,
    { label: options.label, postgres: result.postgres },
    {
      settings: { ...options, webCommand: result.webCommand, buildSeconds: result.buildSeconds, wrk: result.wrk },
      staticAsset: result.staticAsset,
      addresses: compared(result.figures),
      frontDoor: result.frontFigures ? { addresses: compared(result.frontFigures) } : null,
      profile: result.profiles ? { file: result.profileFile, addresses: result.profiles } : null,
      errors,
      ok: errors === 0,
    },
  );
  failUnless(errors === 0, `✗ ${errors} answers had another status than expected, or none (see the errors columns).`);
}
