import { failUnless, writeBenchResults } from "../../bench/lib/bench-results";
import { fmt, printInvariants, summarize, table } from "../../bench/lib/report";
import type { HostLossRun } from "./run";

/** Prints what the sale did and what the loss of a host cost, the invariants, writes the JSON; fails if one broke. */
export function reportHostLoss(loss: HostLossRun): void {
  const { sale, kill, options } = loss;
  const shoppers = sale.shoppers;
  const count = (predicate: (shopper: (typeof shoppers)[number]) => boolean) => shoppers.filter(predicate).length;
  const cut = shoppers.reduce((sum, shopper) => sum + shopper.cut, 0);
  const requests = Object.values(sale.answers).flatMap((byStatus) => Object.values(byStatus)).reduce((sum, n) => sum + n, 0);
  const waits = summarize(shoppers.flatMap((shopper) => (shopper.finalMs !== undefined && shopper.arrivedMs !== undefined ? [shopper.finalMs - shopper.arrivedMs] : [])));
  const seconds = loss.saleMs / 1_000;
  const sinceKill = (ms: number | null | undefined) => (ms == null ? "never" : `${(ms / 1_000).toFixed(2)} s`);

  const partitions = loss.partitions[0];
  console.log(`\nThe sale, through HAProxy against ${options.hosts} hosts, the saga steps in ${partitions?.partitions ?? "?"} partition(s) (${partitions?.source ?? "not logged"})`);
  console.log(table(
    ["shoppers", "stock", "sold", "sold out", "seconds", "requests", "req/s", "cut & asked again", "shoppers cut", "wait p50 ms", "wait p99 ms"],
    [[String(shoppers.length), String(options.stock), String(count((s) => s.final === "completed")), String(count((s) => s.final === "sold-out")),
      fmt(seconds, 1), String(requests), fmt(requests / seconds), String(cut), String(count((s) => s.cut > 0)), fmt(waits.p50), fmt(waits.p99)]],
  ));
  console.log("\nThe host lost");
  console.log(table(
    ["killed at", "processes", "checkouts in flight", "out of rotation after", "every saga finished after", "shop settled after the sale"],
    [[`${((sale.killedAtMs ?? 0) / 1_000).toFixed(1)} s`, String(kill.pids.length), String(kill.inFlight), sinceKill(kill.outOfRotationMs),
      sinceKill(loss.sagasFinishedMs), loss.settledMs == null ? "never" : `${(loss.settledMs / 1_000).toFixed(1)} s`]],
  ));
  console.log("\nRequests cut, each asked again by its shopper");
  console.log(table(["what", "times"], Object.entries(sale.cuts).sort((a, b) => b[1] - a[1]).map(([what, n]) => [what, String(n)])));
  console.log("\nInvariants");
  const ok = printInvariants(loss.results);
  writeBenchResults(loss.run, { label: null, postgres: {} }, {
    options,
    buildSeconds: loss.buildSeconds,
    sagaQueuePartitions: loss.partitions,
    sale: { shoppers: shoppers.length, sold: count((s) => s.final === "completed"), soldOut: count((s) => s.final === "sold-out"), seconds, requests, cut, cuts: sale.cuts, waitMs: waits, answers: sale.answers, unexpected: sale.unexpected.slice(0, 20) },
    kill: { atMs: sale.killedAtMs, processes: kill.pids.length, inFlight: kill.inFlight, outOfRotationMs: kill.outOfRotationMs, sagasFinishedMs: loss.sagasFinishedMs, settledMs: loss.settledMs },
    invariants: loss.results,
  });
  failUnless(ok);
  if (ok) console.log("\n✓ A host lost mid-sale: nothing lost, nothing done twice");
}
