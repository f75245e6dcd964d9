import path from "node:path";
import { THRESHOLD_100_RULE_ID } from "@/server/loyalty/rules/seeded-campaign-rules";
import { REPO_ROOT } from "../lib/bench-env";
import { errorMessage, step, type InvariantResult } from "../lib/report";
import { checkLogOrder } from "./check-log-order";
import type { LoyaltyOptions } from "./options";
import type { LoyaltyBench } from "./prepare";
import { profileRebuild, timeRebuild, verifyRebuild } from "./rebuild";
import { REBUILD_TARGET_SECONDS, type LoyaltyReport } from "./report";
import { seedPointEvents } from "./seed-point-events";
import type { PhaseProbe } from "./throughput";

/**
 * Phase 3: a large valid event log written straight into the table, the log reader's order checked, then
 * `rebuildProjections` timed and its read models checked against SQL (and, with --profile-rebuild, profiled).
 */
export async function runRebuildPhase(phase: {
  options: LoyaltyOptions;
  bench: LoyaltyBench;
  probe: PhaseProbe;
  logDir: string;
}): Promise<Pick<LoyaltyReport, "seeded" | "rebuild" | "rebuildProfile"> & { invariants: InvariantResult[] }> {
  const { options, bench, probe } = phase;
  const { admin } = bench;
  const invariants: InvariantResult[] = [];
  const batch = options.rebuildBatch ? { batchSize: options.rebuildBatch } : {};
  step(`Rebuild: writing ${options.rebuildEvents.toLocaleString("en")} point events over ${options.rebuildCustomers.toLocaleString("en")} customers`);
  await admin.query(`TRUNCATE loyalty_point_events, loyalty_processed_messages, loyalty_balances, loyalty_lots, loyalty_history RESTART IDENTITY`);
  await admin.query(`UPDATE loyalty_projection_checkpoints SET position = 0, updated_at = now()`);
  const seeded = await seedPointEvents(admin, {
    events: options.rebuildEvents,
    customers: options.rebuildCustomers,
    ruleId: THRESHOLD_100_RULE_ID,
    positionsFrom: options.positionsFrom,
  });
  console.log(
    `  ${seeded.events.toLocaleString("en")} events (${seeded.earned.toLocaleString("en")} PointsEarned, ` +
      `${seeded.redeemed.toLocaleString("en")} PointsRedeemed) over ${seeded.customers.toLocaleString("en")} customers in ${seeded.seconds} s`,
  );
  const order = await checkLogOrder(admin, { limit: 20_000, batchSize: options.rebuildBatch ?? 10_000 });
  invariants.push(order);
  if (!order.ok) console.log(`  ✗ ${order.name}: ${order.detail}`);

  step(`Timing rebuildProjections (target ≤ ${REBUILD_TARGET_SECONDS} s)`);
  let rebuild: LoyaltyReport["rebuild"] = null;
  try {
    rebuild = await timeRebuild({ ...batch, probe });
  } catch (error) {
    // A rebuild that fails rolls back; the bench still reports what it measured.
    console.log(`  ✗ rebuildProjections failed: ${errorMessage(error)}`);
    invariants.push({ name: "rebuildProjections completes", ok: false, detail: errorMessage(error) });
  }
  if (!rebuild) return { seeded, rebuild, rebuildProfile: null, invariants };

  console.log(`  ${rebuild.events.toLocaleString("en")} events in ${rebuild.seconds} s (${rebuild.eventsPerSecond}/s)`);
  step("Checking the rebuilt read models against SQL aggregates of the events");
  invariants.push(...(await verifyRebuild(admin, seeded.events, rebuild.events)));
  let rebuildProfile: LoyaltyReport["rebuildProfile"] = null;
  if (options.profileRebuild) {
    step("Profiling: rebuildProjections once more, with a stopwatch on every statement and a CPU profile");
    const cpuProfileFile = path.join(phase.logDir, "rebuild.cpuprofile");
    rebuildProfile = await profileRebuild({ ...batch, probe, cpuProfileFile });
    console.log(`  CPU profile: ${path.relative(REPO_ROOT, cpuProfileFile)} (opens in Chrome DevTools)`);
  } else if (rebuild.seconds > REBUILD_TARGET_SECONDS) {
    console.log("  slower than the target: run with --profile-rebuild to see where the time goes");
  }
  return { seeded, rebuild, rebuildProfile, invariants };
}
