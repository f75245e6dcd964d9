import { readPointStream } from "@/server/loyalty/event-store/point-event-store";
import { balanceAt } from "@/server/loyalty/projections/balance-at";
import { sqlPool } from "@/server/sql";

/**
 * Time travel: the points a customer had at a past instant, replayed from their events (no projection keeps every
 * past balance, and none needs to: the log is the history).
 */
export async function getBalanceAt(options: { customerId: string; at: Date }): Promise<{ at: Date; points: number }> {
  const events = await readPointStream(sqlPool, options.customerId, options.at);
  return { at: options.at, points: balanceAt(events, options.at) };
}
