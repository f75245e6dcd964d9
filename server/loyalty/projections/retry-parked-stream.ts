import { DomainError } from "@/server/errors";
import { inSavepoint, inTransaction, sql, sqlIdentifier, type SqlClient, type SqlQuery } from "@/server/sql";
import { failureMessageOf, isPassingFault } from "./parked-streams";
import type { LogPosition } from "./point-event-log";
import { lockCheckpoint, type ProjectionName } from "./projection-checkpoints";
import type { ReadModelTable } from "./read-model-table";
import { insertBalances, insertHistory, insertLots, StreamReplay, type Folded, type StreamRow } from "./replay-streams";

/** Each projection's table, and the rows of a replayed stream that go into it. */
const REPLAYED_ROWS: Record<ProjectionName, { table: ReadModelTable; insert: (folded: Folded) => SqlQuery }> = {
  "available-balance": { table: "loyalty_balances", insert: (folded) => insertBalances("loyalty_balances", folded.balances) },
  "point-lots": { table: "loyalty_lots", insert: (folded) => insertLots("loyalty_lots", folded.lots) },
  "point-history": { table: "loyalty_history", insert: (folded) => insertHistory("loyalty_history", folded.history) },
};

export type ParkedStreamRetry = { unparked: boolean; message: string };

/**
 * After a fix: replays a parked customer's events up to the projection's checkpoint with the rebuild's fold
 * (StreamReplay), puts that customer's rows of the projection in place of what they were, and unparks the stream,
 * so the projection equals a replay again and takes the customer's later events as usual. If the replay's rows still
 * cannot be written, nothing of them is kept and the stream stays parked with the new error. `record` (the audit
 * line) is written in the same transaction, whichever way it went.
 */
export async function retryParkedStream(options: {
  projection: ProjectionName;
  customerId: string;
  record?: (tx: SqlClient, outcome: ParkedStreamRetry) => Promise<void>;
}): Promise<ParkedStreamRetry> {
  const { projection, customerId } = options;
  return inTransaction(async (tx) => {
    // Waits for the batch in flight: the replay's cut is a checkpoint no processor moves until this commits.
    const checkpoint = await lockCheckpoint(tx, projection, true);
    const [park] = await tx.rows<{ error: string }>(sql`
      SELECT error FROM loyalty_parked_streams
       WHERE projection = ${projection} AND customer_id = ${customerId}::uuid FOR UPDATE`);
    if (!park || !checkpoint) throw new DomainError("NOT_FOUND", "That stream is not parked (any more): nothing to retry.");
    let outcome: ParkedStreamRetry;
    try {
      const events = await inSavepoint(tx, () => replaceWithReplay(tx, { projection, customerId, cut: checkpoint }));
      await tx.count(sql`DELETE FROM loyalty_parked_streams WHERE projection = ${projection} AND customer_id = ${customerId}::uuid`);
      outcome = { unparked: true, message: `Replayed ${events} ${events === 1 ? "event" : "events"} into ${projection}: the stream is no longer parked.` };
    } catch (error) {
      if (isPassingFault(error)) throw error;
      const message = failureMessageOf(error);
      await tx.count(sql`
        UPDATE loyalty_parked_streams SET error = ${message}
         WHERE projection = ${projection} AND customer_id = ${customerId}::uuid`);
      outcome = { unparked: false, message: `Still fails, so the stream stays parked: ${message}` };
    }
    await options.record?.(tx, outcome);
    return outcome;
  });
}

/** The customer's rows of the projection, as a replay of their events up to `cut` gives them; returns the events. */
async function replaceWithReplay(
  tx: SqlClient,
  options: { projection: ProjectionName; customerId: string; cut: LogPosition },
): Promise<number> {
  const rows = await tx.rows<StreamRow>(sql`
    SELECT stream_id, version, event_id, occurred_at, type, data FROM loyalty_point_events
     WHERE stream_id = ${options.customerId}::uuid AND position <= ${options.cut.position}::bigint
     ORDER BY version`);
  const folded = new StreamReplay().fold(rows, true);
  const { table, insert } = REPLAYED_ROWS[options.projection];
  await tx.count(sql`DELETE FROM ${sqlIdentifier(table)} WHERE customer_id = ${options.customerId}::uuid`);
  await tx.count(insert(folded));
  return rows.length;
}
