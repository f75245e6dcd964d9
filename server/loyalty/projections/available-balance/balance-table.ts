import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, type SqlClient } from "@/server/sql";
import { distinct } from "../read-model-table";
import { evolveAvailableBalance, type AvailableBalance } from "./index";

/** Applies a batch of events to the balances table: reads the customers' rows, evolves them, writes them back. */
export async function applyToBalances(tx: SqlClient, events: readonly StoredPointEvent[]): Promise<void> {
  const customerIds = distinct(events.map((stored) => stored.streamId));
  const rows = await tx.rows<{ customer_id: string; available_points: number; last_version: number }>(
    sql`SELECT customer_id, available_points, last_version FROM loyalty_balances WHERE customer_id = ANY(${customerIds}::uuid[])`,
  );
  const balances = new Map<string, AvailableBalance>(
    rows.map((row) => [
      row.customer_id,
      { customerId: row.customer_id, availablePoints: row.available_points, lastVersion: row.last_version },
    ]),
  );
  for (const stored of events) {
    balances.set(stored.streamId, evolveAvailableBalance(balances.get(stored.streamId) ?? null, stored));
  }
  const changed = customerIds.map((id) => balances.get(id)!);
  await tx.count(sql`
    INSERT INTO loyalty_balances (customer_id, available_points, last_version, updated_at)
    SELECT customer_id, available_points, last_version, now()
      FROM unnest(${changed.map((b) => b.customerId)}::uuid[], ${changed.map((b) => b.availablePoints)}::int[],
                  ${changed.map((b) => b.lastVersion)}::int[]) AS b(customer_id, available_points, last_version)
    ON CONFLICT (customer_id) DO UPDATE SET available_points = EXCLUDED.available_points,
      last_version = EXCLUDED.last_version, updated_at = now()`);
}
