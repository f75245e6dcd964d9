import { sql, sqlPool } from "@/server/sql";
import { handlePointCommand } from "./event-store/handle-point-command";

/**
 * The expiry process: finds lots whose time has come (from the lots projection) and records LotExpired for each,
 * through the decider, which checks the lot against the customer's own events. The message id is the lot's, so a
 * lot expires once however many processes or passes look at it.
 *
 * The WHERE is `isDueForExpiry` (points-state.ts) in SQL, so the partial index loyalty_lots_due_idx finds them across
 * all customers; the decider's ExpireLot applies that function itself, so it decides, and a lot the projection
 * wrongly calls due (it trails the log) is a no-op.
 */
export async function expireDueLots(options: { now: Date; limit?: number }): Promise<number> {
  const due = await sqlPool.rows<{ lot_id: string; customer_id: string }>(sql`
    SELECT lot_id, customer_id FROM loyalty_lots
     WHERE NOT expired AND remaining > 0 AND expires_at <= ${options.now}::timestamptz
     ORDER BY expires_at LIMIT ${options.limit ?? 500}`);
  let expired = 0;
  for (const lot of due) {
    const { events } = await handlePointCommand({
      customerId: lot.customer_id,
      command: { type: "ExpireLot", data: { lotId: lot.lot_id } },
      messageId: `expire-lot:${lot.lot_id}`,
      now: options.now,
    });
    expired += events.length;
  }
  return expired;
}
