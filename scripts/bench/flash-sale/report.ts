import type { BenchRun } from "../lib/bench-run";
import { failUnless, writeBenchResults } from "../lib/bench-results";
import { fmt, table, type InvariantResult } from "../lib/report";
import type { SaleFigures } from "./figures";
import type { FlashSaleOptions } from "./options";
import { EXPECTED_STOCK, PRODUCT_SLUG, SHOPPER_WALLET_CENTS } from "./shoppers";

/** What a run of the flash-sale bench measured and checked, for the JSON (the figures are printed as they come). */
export type FlashSaleRun = {
  run: BenchRun;
  postgres: Record<string, string>;
  workerCommand: string;
  webCommand: string;
  buildSeconds: number | null;
  figures: SaleFigures;
  invariants: InvariantResult[];
  ok: boolean;
};

/** bench/results/flash-sale-<time>.json (and latest-flash-sale.json); exit code 1 if an invariant broke. */
export function reportFlashSale(options: FlashSaleOptions, sale: FlashSaleRun): void {
  writeBenchResults(
    sale.run,
    { label: options.label, postgres: sale.postgres },
    {
      settings: {
        ...options,
        workerCommand: sale.workerCommand,
        webCommand: sale.webCommand,
        buildSeconds: sale.buildSeconds,
        product: PRODUCT_SLUG,
        stock: EXPECTED_STOCK,
        walletCents: SHOPPER_WALLET_CENTS,
      },
      figures: sale.figures,
      invariants: sale.invariants,
      ok: sale.ok,
    },
  );
  failUnless(sale.ok);
}

/**
 * Which process held the sale back: the busiest of ours. A Node process runs JavaScript on one core, so one near
 * 100 % is the limit; the machine near 100 % busy means the cores themselves were.
 */
function busiestProcess(figures: SaleFigures): string {
  const ours = Object.entries(figures.cpu.percentByGroup).filter(([group]) => group !== "not this bench" && group !== "postgres (other dbs)");
  const [group, percent] = ours.sort((a, b) => b[1] - a[1])[0] ?? ["none", 0];
  const machine = figures.cpu.machineBusyPercent >= 90 ? `; the machine was ${fmt(figures.cpu.machineBusyPercent)} % busy: all cores were the limit` : "";
  return `${group} (${fmt(percent)} % of one core)${machine}`;
}

/** The sale's figures as one table, then the compensation reasons and a few HTTP errors. */
export function printFigures(figures: SaleFigures): void {
  const ended = figures.startedCheckoutsEndedAs;
  console.log("");
  console.log(
    table(
      ["figure", "value"],
      [
        ["sold", `${figures.sold} (must be ${EXPECTED_STOCK})`],
        ["attempts answered", `${figures.answered.total} of ${figures.shoppers}`],
        ["  started a checkout", String(figures.answered.started)],
        ["  turned away sold out at start (409)", String(figures.answered.turnedAwaySoldOutAtStart)],
        ["  other answer", String(figures.answered.other)],
        [
          "started checkouts ended",
          `${ended.completed} completed, ${ended.compensated} compensated, ${ended.needsAttention} need attention, ${ended.unfinished} unfinished`,
        ],
        ["last unit sold after", `${fmt(figures.lastUnitSoldAfterMs)} ms`],
        ["every start answered after", `${fmt(figures.allStartsAnsweredAfterMs)} ms`],
        ["every attempt final after", figures.everyAttemptFinalAfterMs === null ? "not all were" : `${fmt(figures.everyAttemptFinalAfterMs)} ms`],
        ["time to final p50 / p95 / max", `${fmt(figures.timeToFinalMs.p50)} / ${fmt(figures.timeToFinalMs.p95)} / ${fmt(figures.timeToFinalMs.max)} ms`],
        ["  of started checkouts p50 / p95", `${fmt(figures.timeToFinalOfStartedMs.p50)} / ${fmt(figures.timeToFinalOfStartedMs.p95)} ms`],
        ["start answered p50 / p95", `${fmt(figures.startAnsweredMs.p50)} / ${fmt(figures.startAnsweredMs.p95)} ms`],
        ["HTTP errors", `${figures.httpErrors.total}${figures.httpErrors.total > 0 ? ` ${JSON.stringify(figures.httpErrors.byKind)}` : ""}`],
        ["requests (status polls)", `${figures.requests} (${figures.statusPolls}), ${fmt(figures.requestsPerSecond)}/s`],
        ["the limit", busiestProcess(figures)],
        [
          "CPU % of one core",
          Object.entries(figures.cpu.percentByGroup)
            .filter(([, percent]) => percent >= 0.5)
            .map(([group, percent]) => `${group} ${fmt(percent)}`)
            .join(", ") + `; machine ${fmt(figures.cpu.machineBusyPercent)} % busy`,
        ],
      ],
      { alignLeft: true },
    ),
  );
  for (const [reason, count] of Object.entries(figures.compensationReasons)) console.log(`  compensated ×${count}: ${reason}`);
  for (const example of figures.httpErrorExamples) console.log(`  error example: ${example}`);
}
