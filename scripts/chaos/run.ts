import { createAgent } from "../bench/lib/http-client";
import { installCleanup, stopChildren } from "../bench/lib/bench-children";
import { beginBenchRun } from "../bench/lib/bench-run";
import { createProgress, step } from "../bench/lib/report";
import { checkChaosInvariants, waitForQuiescence } from "./checks";
import { injectFault, planFaults, type FaultTargets, type InjectedFault, type PlannedFault } from "./faults";
import type { ChaosOptions } from "./options";
import { startChaosShop } from "./shop";
import { runLane, type Load } from "./shoppers";

export type ChaosRun = Awaited<ReturnType<typeof runChaos>>;

/** Starts the shop, runs the load with the faults on their schedule, lets the shop settle and checks it. */
export async function runChaos(options: ChaosOptions) {
  const run = await beginBenchRun("chaos", options);
  installCleanup({ timeLimitMs: (900 + options.durationS + options.settleS + 120) * 1_000 });
  console.log(`Chaos run — ${run.runId}`);
  const shop = await startChaosShop(options, run);
  const restartServers = options.restartServers && process.getuid?.() === 0;
  const targets: FaultTargets = { supervisorPid: shop.supervisor.pid, databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, flushAll: options.flushAll, restartServers };

  const plan = planFaults(options.durationS, options.killEveryS);
  step(`${options.shoppers} shoppers for ${options.durationS} s; the faults (${restartServers ? "servers really restarted" : "no server restarted: connections cut instead"}):`);
  for (const fault of plan.filter((each) => each.kind !== "worker killed (kill -9)")) console.log(`    at ${(fault.atMs / 1000).toFixed(0).padStart(4)} s  ${fault.kind}`);
  console.log(`    and every ${options.killEveryS} s  a random worker killed with kill -9`);

  const t0 = performance.now();
  const load: Load = {
    t0,
    agent: createAgent(options.shoppers * 2),
    port: options.port,
    products: shop.products,
    shoppers: [],
    answers: {},
    unexpected: [],
    stopAt: t0 + options.durationS * 1_000,
    giveUpAt: t0 + (options.durationS + options.settleS) * 1_000,
  };
  const runId = run.runId.toLowerCase().replace(/[^a-z0-9]/g, "").slice(-12);
  const lanes = Promise.all(Array.from({ length: options.shoppers }, (_, lane) => runLane(load, runId, lane, options.shoppers)));
  const faults = await injectOnSchedule(plan, targets, load);
  await lanes;
  const loadMs = performance.now() - t0;

  step("Waiting for the shop to settle (every saga finished, every event published and handled, projections caught up)");
  const quiescence = await waitForQuiescence(options.databaseUrl, options.settleS);
  step("Checking every invariant");
  const { results, tally } = await checkChaosInvariants(options.databaseUrl, load);
  shop.stoppingOnPurpose();
  step("Stopping the shop");
  await stopChildren([shop.web, shop.supervisor]);
  return { run, options, restartServers, load, loadMs, faults, quiescence, results, tally };
}

/** Each planned fault at its time, one after the other, with a line of progress in between. */
async function injectOnSchedule(plan: readonly PlannedFault[], targets: FaultTargets, load: Load): Promise<InjectedFault[]> {
  const progress = createProgress({ plainEveryMs: 5_000 });
  const done: InjectedFault[] = [];
  const ticker = setInterval(() => {
    const checkouts = load.shoppers.flatMap((shopper) => shopper.checkouts);
    const completed = checkouts.filter((checkout) => checkout.status === "completed").length;
    progress.update(`  ${((performance.now() - load.t0) / 1000).toFixed(0)} s: ${checkouts.length} checkouts started, ${completed} completed, ${done.length}/${plan.length} faults`);
  }, 1_000);
  try {
    for (const fault of plan) {
      const wait = load.t0 + fault.atMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const atMs = performance.now() - load.t0;
      const outcome = await injectFault(fault.kind, targets);
      done.push({ kind: fault.kind, atMs, doneMs: performance.now() - load.t0, ...outcome });
      progress.done(`  ${(atMs / 1000).toFixed(1).padStart(6)} s  ${outcome.failed ? "✗" : "⚡"} ${fault.kind}: ${outcome.failed ?? outcome.detail}`);
    }
  } finally {
    clearInterval(ticker);
    progress.done();
  }
  return done;
}
