import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, type SqlClient } from "@/server/sql";
import { distinct } from "../read-model-table";
import { evolvePointHistory, type PointHistoryRow, type PointHistoryTail } from "./index";

/** Applies a batch of events to the history table: each event a row, with the balance carried on from the last one. */
export async function applyToHistory(tx: SqlClient, events: readonly StoredPointEvent[]): Promise<void> {
  const customerIds = distinct(events.map((stored) => stored.streamId));
  const lastRows = await tx.rows<{ customer_id: string; version: number; balance_after: number }>(sql`
    SELECT DISTINCT ON (customer_id) customer_id, version, balance_after FROM loyalty_history
     WHERE customer_id = ANY(${customerIds}::uuid[]) ORDER BY customer_id, version DESC`);
  const last = new Map<string, PointHistoryTail>(
    lastRows.map((row) => [row.customer_id, { version: row.version, balanceAfter: row.balance_after }]),
  );
  const rows: PointHistoryRow[] = [];
  for (const stored of events) {
    const row = evolvePointHistory(last.get(stored.streamId) ?? null, stored);
    if (!row) continue;
    rows.push(row);
    last.set(stored.streamId, row);
  }
  if (rows.length === 0) return;
  await tx.count(sql`
    INSERT INTO loyalty_history (customer_id, version, event_id, type, points_delta, balance_after, occurred_at, description)
    SELECT * FROM unnest(${rows.map((r) => r.customerId)}::uuid[], ${rows.map((r) => r.version)}::int[],
                         ${rows.map((r) => r.eventId)}::uuid[], ${rows.map((r) => r.type)}::text[],
                         ${rows.map((r) => r.pointsDelta)}::int[], ${rows.map((r) => r.balanceAfter)}::int[],
                         ${rows.map((r) => r.occurredAt)}::timestamptz[], ${rows.map((r) => r.description)}::text[])
    ON CONFLICT (customer_id, version) DO NOTHING`);
}
