import { failUnless } from "../bench/lib/bench-results";
import { fmt, gitInfo, machineInfo, printInvariants, summarize, table, writeResults } from "../bench/lib/report";
import { FAULT_KINDS, type InjectedFault } from "./faults";
import type { ChaosRun } from "./run";
import type { ShopperCheckout } from "./shoppers";

/** Prints the chaos run's tables and invariants, writes its JSON, and fails the run if anything broke. */
export function reportChaos(chaos: ChaosRun): void {
  const { load, loadMs, faults, quiescence, results, tally } = chaos;
  const checkouts = load.shoppers.flatMap((shopper) => shopper.checkouts);
  const by = (status: string) => checkouts.filter((checkout) => checkout.status === status).length;
  const answers = Object.values(load.answers).flatMap((byStatus) => Object.entries(byStatus));
  const answered = answers.filter(([status]) => status !== "0").reduce((sum, [, n]) => sum + n, 0);
  const unavailable = answers.filter(([status]) => status === "503").reduce((sum, [, n]) => sum + n, 0);
  const seconds = loadMs / 1_000;

  console.log("\nLoad held");
  console.log(table(
    ["shoppers signed up", "seconds", "requests", "req/s", "503 (asked again)", "checkouts", "completed", "compensated", "completed/s"],
    [[String(load.shoppers.length), fmt(seconds), String(answered), fmt(answered / seconds), String(unavailable), String(checkouts.length), String(by("completed")), String(by("compensated")), fmt(by("completed") / seconds, 1)]],
  ));

  const recovery = faults.map((fault) => ({ fault, recoveredMs: recoveredAfter(fault, checkouts) }));
  console.log("\nFaults injected, and the time from each until a checkout started after it had completed");
  console.log(table(
    ["fault", "injected", "not done", "recovered p50 s", "recovered max s", "never recovered"],
    FAULT_KINDS.map((kind) => {
      const ofKind = recovery.filter((each) => each.fault.kind === kind);
      const times = ofKind.flatMap((each) => (each.recoveredMs === null ? [] : [each.recoveredMs / 1_000]));
      const summary = summarize(times);
      return [kind, String(ofKind.length), String(ofKind.filter((each) => each.fault.failed).length), fmt(summary.p50, 1), fmt(summary.max, 1), String(ofKind.length - times.length)];
    }),
  ));
  console.log(`\nLost ${tally.lost}, done twice ${tally.double}; settled ${quiescence.settledMs === null ? "never" : `${fmt(quiescence.settledMs / 1_000, 1)} s`} after the load.`);
  console.log("\nInvariants");
  const allHold = printInvariants(results);
  const notDone = faults.filter((fault) => fault.failed);
  for (const fault of notDone) console.log(`  ✗ a fault was not injected: ${fault.kind} at ${fmt(fault.atMs / 1_000, 1)} s: ${fault.failed}`);

  const file = writeResults("chaos", chaos.run.startedAt, {
    runId: chaos.run.runId,
    startedAt: chaos.run.startedAt,
    machine: machineInfo(),
    git: gitInfo(),
    options: chaos.options,
    serversRestarted: chaos.restartServers,
    load: { seconds, shoppers: load.shoppers.length, requests: answered, unavailable, answers: load.answers, checkouts: checkouts.length, completed: by("completed"), compensated: by("compensated") },
    faults: recovery.map(({ fault, recoveredMs }) => ({ ...fault, recoveredMs })),
    unexpected: load.unexpected,
    quiescence,
    tally,
    invariants: results,
  });
  console.log(`\nResults: ${file}`);
  failUnless(allHold && notDone.length === 0 && tally.lost === 0 && tally.double === 0 && quiescence.settledMs !== null, "✗ The shop did not come through the chaos intact (see above).");
}

/** From the fault to the first completion of a checkout started at or after it; null if none did. */
function recoveredAfter(fault: InjectedFault, checkouts: readonly ShopperCheckout[]): number | null {
  const finals = checkouts.filter((checkout) => checkout.status === "completed" && checkout.startedMs >= fault.atMs).map((checkout) => checkout.finalMs! - fault.atMs);
  return finals.length === 0 ? null : Math.min(...finals);
}
