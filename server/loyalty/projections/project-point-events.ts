import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { inTransaction, sql, sqlPool, type SqlClient } from "@/server/sql";
import { applyToBalances } from "./available-balance/balance-table";
import { readLogAfter } from "./point-event-log";
import { applyToHistory } from "./point-history/history-table";
import { applyToLots } from "./point-lots/lot-table";
import { ensureCheckpoints, lockCheckpoint, PROJECTION_NAMES, saveCheckpoint, type ProjectionName } from "./projection-checkpoints";

/** How each projection writes a batch of events into its table. */
const PROJECTION_APPLIERS: Record<ProjectionName, (tx: SqlClient, events: readonly StoredPointEvent[]) => Promise<void>> = {
  "available-balance": applyToBalances,
  "point-lots": applyToLots,
  "point-history": applyToHistory,
};

/**
 * Applies the next batch of events to one projection and moves its checkpoint, in one transaction: after a crash it
 * resumes at the checkpoint, and no event is applied twice. Returns how many events it applied (0 when caught up, or
 * when another process holds this projection).
 */
export async function projectNextBatch(projection: ProjectionName, batchSize: number): Promise<number> {
  return inTransaction(async (tx) => {
    const checkpoint = await lockCheckpoint(tx, projection);
    if (!checkpoint) return 0;
    const events = await readLogAfter(tx, checkpoint, batchSize);
    if (events.length === 0) return 0;
    await PROJECTION_APPLIERS[projection](tx, events);
    await saveCheckpoint(tx, projection, events.at(-1)!.logPosition);
    return events.length;
  });
}

/** Brings every projection up to date with the log as it is now; returns the events applied per projection. */
export async function projectPointEvents(batchSize = 500): Promise<Record<ProjectionName, number>> {
  const applied = { "available-balance": 0, "point-lots": 0, "point-history": 0 };
  // The worker calls this every few hundred milliseconds: when nothing is behind, one read answers, with no
  // transaction and no lock.
  if (!(await anyProjectionBehind())) return applied;
  await ensureCheckpoints(sqlPool);
  // A batch of each projection per round, until none has anything left: while purchases keep coming, draining one
  // projection to the end first would leave the others (the history, the lots) waiting behind it.
  for (let busy = true; busy; ) {
    busy = false;
    for (const projection of PROJECTION_NAMES) {
      const count = await projectNextBatch(projection, batchSize);
      applied[projection] += count;
      if (count > 0) busy = true;
    }
  }
  return applied;
}

/** Whether some projection has not applied the newest event yet (or has no checkpoint row at all). */
async function anyProjectionBehind(): Promise<boolean> {
  const [row] = await sqlPool.rows<{ behind: boolean }>(sql`
    SELECT (SELECT count(*) FROM loyalty_projection_checkpoints) < ${PROJECTION_NAMES.length}
        OR EXISTS (SELECT 1 FROM loyalty_projection_checkpoints
                    WHERE position < (SELECT coalesce(max(e.position), 0) FROM loyalty_point_events e)) AS behind`);
  return row?.behind ?? true;
}
