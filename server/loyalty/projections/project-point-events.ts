import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { inTransaction, sqlPool, type SqlClient } from "@/server/sql";
import { applyToBalances } from "./available-balance/balance-table";
import { readLogAfter } from "./point-event-log";
import { applyToHistory } from "./point-history/history-table";
import { applyToLots } from "./point-lots/lot-table";
import { ensureCheckpoints, lockCheckpoint, PROJECTION_NAMES, saveCheckpoint, type ProjectionName } from "./projection-checkpoints";
import type { TableTarget } from "./read-model-table";

/** How each projection writes a batch of events into its table. */
export const PROJECTION_APPLIERS: Record<
  ProjectionName,
  (tx: SqlClient, events: readonly StoredPointEvent[], target?: TableTarget) => Promise<void>
> = {
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
  await ensureCheckpoints(sqlPool);
  const applied = { "available-balance": 0, "point-lots": 0, "point-history": 0 };
  for (const projection of PROJECTION_NAMES) {
    for (let count = -1; count !== 0; ) {
      count = await projectNextBatch(projection, batchSize);
      applied[projection] += count;
    }
  }
  return applied;
}
