import { storedPointEventOf } from "@/server/loyalty/event-store/point-event-store";
import { sql, sqlIdentifier, type SqlClient, type SqlQuery } from "@/server/sql";
import type { AvailableBalance } from "./available-balance";
import { foldReadModels, newReadModelFold, type ReadModelFold } from "./fold-read-models";
import type { LogPosition } from "./point-event-log";
import type { PointHistoryRow } from "./point-history";
import type { PointLotRow } from "./point-lots";
import { nextTableOf } from "./read-model-table";

/**
 * The rebuild's replay, one customer at a time (foldReadModels): every read model is per customer, so a customer's
 * stream folded in version order gives exactly what the processor gets from the log in position order. Each
 * customer's final balance and lots are written once, each history row once, into tables no one else writes: plain
 * INSERTs, with no read-back of rows written earlier and no upsert.
 */

export type StreamRow = { stream_id: string; version: number; event_id: string; occurred_at: Date; type: string; data: unknown };

/** Up to `limit` events of the log up to `cut`, in (stream, version) order after `after`. */
export async function readStreamsAfter(
  tx: SqlClient,
  options: { after: { streamId: string; version: number }; cut: LogPosition; limit: number },
): Promise<StreamRow[]> {
  return tx.rows<StreamRow>(sql`
    SELECT e.stream_id, e.version, e.event_id, e.occurred_at, e.type, e.data
      FROM loyalty_point_events e
     WHERE (e.stream_id, e.version) > (${options.after.streamId}::uuid, ${options.after.version}::int)
       AND e.position <= ${options.cut.position}::bigint
     ORDER BY e.stream_id, e.version
     LIMIT ${options.limit}`);
}

export type Folded = { balances: AvailableBalance[]; lots: PointLotRow[]; history: PointHistoryRow[]; events: number };

/** Folds the log batch by batch, in (stream, version) order; a customer cut by a batch's end carries on in the next. */
export class StreamReplay {
  private open: { streamId: string; fold: ReadModelFold } | null = null;

  /** A batch's rows to write: its history rows, and the balances and lots of the customers it finished. */
  fold(rows: readonly StreamRow[], last: boolean): Folded {
    const folded: Folded = { balances: [], lots: [], history: [], events: rows.length };
    for (const row of rows) {
      const stored = storedPointEventOf(row);
      if (this.open?.streamId !== stored.streamId) {
        if (this.open) finish(this.open.fold, folded);
        this.open = { streamId: stored.streamId, fold: newReadModelFold() };
      }
      const historyRow = foldReadModels(this.open.fold, stored);
      if (historyRow) folded.history.push(historyRow);
    }
    if (last && this.open) {
      finish(this.open.fold, folded);
      this.open = null;
    }
    return folded;
  }
}

function finish(fold: ReadModelFold, folded: Folded): void {
  if (fold.balance) folded.balances.push(fold.balance);
  folded.lots.push(...fold.lots.values());
}

/** Writes a folded batch into the three `_next` tables in one statement (one round trip). */
export async function writeFolded(tx: SqlClient, { balances, lots, history }: Folded): Promise<void> {
  await tx.count(sql`
    WITH balances AS (${insertBalances(nextTableOf("loyalty_balances"), balances)}),
    lots AS (${insertLots(nextTableOf("loyalty_lots"), lots)})
    ${insertHistory(nextTableOf("loyalty_history"), history)}`);
}

/*
 * Plain INSERTs of folded rows into a read model's table (its `_next` copy in a rebuild, the live one when a parked
 * stream is replayed), one array per column.
 */

export function insertBalances(table: string, balances: readonly AvailableBalance[]): SqlQuery {
  return sql`
    INSERT INTO ${sqlIdentifier(table)} (customer_id, available_points, last_version, updated_at)
    SELECT *, now() FROM unnest(${balances.map((b) => b.customerId)}::uuid[], ${balances.map((b) => b.availablePoints)}::int[],
                                ${balances.map((b) => b.lastVersion)}::int[])`;
}

export function insertLots(table: string, lots: readonly PointLotRow[]): SqlQuery {
  return sql`
    INSERT INTO ${sqlIdentifier(table)} (lot_id, customer_id, points, remaining, earned_at, expires_at, expired)
    SELECT * FROM unnest(${lots.map((l) => l.lotId)}::text[], ${lots.map((l) => l.customerId)}::uuid[],
                         ${lots.map((l) => l.points)}::int[], ${lots.map((l) => l.remaining)}::int[],
                         ${lots.map((l) => l.earnedAt)}::timestamptz[], ${lots.map((l) => l.expiresAt)}::timestamptz[],
                         ${lots.map((l) => l.expired)}::boolean[])`;
}

export function insertHistory(table: string, history: readonly PointHistoryRow[]): SqlQuery {
  return sql`
    INSERT INTO ${sqlIdentifier(table)} (customer_id, version, event_id, type, points_delta, balance_after, occurred_at, description)
    SELECT * FROM unnest(${history.map((r) => r.customerId)}::uuid[], ${history.map((r) => r.version)}::int[],
                         ${history.map((r) => r.eventId)}::uuid[], ${history.map((r) => r.type)}::text[],
                         ${history.map((r) => r.pointsDelta)}::int[], ${history.map((r) => r.balanceAfter)}::int[],
                         ${history.map((r) => r.occurredAt)}::timestamptz[], ${history.map((r) => r.description)}::text[])`;
}
