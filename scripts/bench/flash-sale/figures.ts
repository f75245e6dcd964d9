import type pg from "pg";
import type { SagaStatus } from "@/server/saga/saga-status";
import type { CpuUsage } from "../lib/proc-cpu";
import { round, summarize, type Summary } from "../lib/report";
import type { SaleTally } from "./sale";
import type { Shopper } from "./shoppers";

/**
 * What the sale did, as the shoppers saw it. Moments ("…after") are ms from the start of the sale; times to final
 * are each shopper's own wait, from pressing "buy" to their final answer.
 */
export type SaleFigures = {
  shoppers: number;
  sold: number;
  answered: { total: number; started: number; turnedAwaySoldOutAtStart: number; other: number };
  startedCheckoutsEndedAs: { completed: number; compensated: number; needsAttention: number; unfinished: number };
  compensationReasons: Record<string, number>;
  everyAttemptFinalAfterMs: number | null;
  allStartsAnsweredAfterMs: number | null;
  lastUnitSoldAfterMs: number | null;
  timeToFinalMs: Summary;
  timeToFinalOfStartedMs: Summary;
  startAnsweredMs: Summary;
  httpErrors: { total: number; byKind: Record<string, number> };
  httpErrorExamples: string[];
  requests: number;
  statusPolls: number;
  requestsPerSecond: number | null;
  saleSeconds: number | null;
  cpu: CpuUsage;
};

/** The sale's figures from the shoppers' tallies, and when PostgreSQL saw the last unit sold. */
export async function saleFigures(admin: pg.Client, shoppers: readonly Shopper[], tally: SaleTally): Promise<SaleFigures> {
  const count = (predicate: (shopper: Shopper) => boolean) => shoppers.filter(predicate).length;
  const finals = shoppers.filter((shopper) => shopper.finalMs !== undefined && shopper.final !== "unfinished");
  const waited = (shopper: Shopper) => (shopper.finalMs as number) - (shopper.arrivedMs ?? 0);
  const timeToFinal = summarize(finals.map(waited));
  const startedShoppers = shoppers.filter((shopper) => shopper.answer === "started");
  const endedAs = (final: SagaStatus | "unfinished") => count((shopper) => shopper.answer === "started" && shopper.final === final);
  const completed: SagaStatus = "completed";
  const soldOutAt = (
    await admin.query<{ last: Date | null }>(`SELECT max(s.finished_at) AS last FROM saga_instances s WHERE s.status = $1`, [completed])
  ).rows[0]?.last;
  const errorExamples = [...new Set(shoppers.flatMap((shopper) => (shopper.error ? [shopper.error] : [])))].slice(0, 5);
  return {
    shoppers: shoppers.length,
    sold: count((shopper) => shopper.final === "completed"),
    answered: {
      total: count((shopper) => shopper.answer !== undefined),
      started: startedShoppers.length,
      turnedAwaySoldOutAtStart: count((shopper) => shopper.answer === "sold-out"),
      other: count((shopper) => shopper.answer === "other"),
    },
    startedCheckoutsEndedAs: {
      completed: endedAs("completed"),
      compensated: endedAs("compensated"),
      needsAttention: endedAs("needs_attention"),
      unfinished: endedAs("unfinished"),
    },
    compensationReasons: countEach(startedShoppers.flatMap((shopper) => (shopper.failureReason ? [shopper.failureReason] : []))),
    everyAttemptFinalAfterMs: finals.length === shoppers.length ? round(Math.max(...finals.map((shopper) => shopper.finalMs as number))) : null,
    allStartsAnsweredAfterMs: round(Math.max(...shoppers.map((shopper) => shopper.startAnsweredMs ?? Number.NaN))),
    lastUnitSoldAfterMs: soldOutAt ? soldOutAt.getTime() - tally.saleStartWall.getTime() : null,
    timeToFinalMs: timeToFinal,
    timeToFinalOfStartedMs: summarize(startedShoppers.filter((shopper) => shopper.final !== "unfinished").map(waited)),
    startAnsweredMs: summarize(
      shoppers.map((shopper) => (shopper.startAnsweredMs ?? Number.NaN) - (shopper.arrivedMs ?? 0)).filter(Number.isFinite),
    ),
    httpErrors: { total: Object.values(tally.httpErrors).reduce((sum, value) => sum + value, 0), byKind: tally.httpErrors },
    httpErrorExamples: errorExamples,
    requests: tally.requests,
    statusPolls: shoppers.reduce((sum, shopper) => sum + shopper.polls, 0),
    requestsPerSecond: round(tally.requests / tally.saleSeconds),
    saleSeconds: round(tally.saleSeconds, 2),
    cpu: tally.cpu,
  };
}

function countEach(values: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values) result[value] = (result[value] ?? 0) + 1;
  return result;
}
