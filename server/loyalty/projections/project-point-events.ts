import { logger } from "@/server/logger";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { inSavepoint, inTransaction, sql, sqlPool, type SqlClient } from "@/server/sql";
import { applyToBalances } from "./available-balance/balance-table";
import { failureMessageOf, isPassingFault, parkedAmong, parkStream } from "./parked-streams";
import { readLogAfter, type LoggedPointEvent } from "./point-event-log";
import { applyToHistory } from "./point-history/history-table";
import { applyToLots } from "./point-lots/lot-table";
import { ensureCheckpoints, lockCheckpoint, PROJECTION_NAMES, saveCheckpoint, type ProjectionName } from "./projection-checkpoints";
import { distinct } from "./read-model-table";

/** How each projection writes a batch of events into its table. */
const PROJECTION_APPLIERS: Record<ProjectionName, (tx: SqlClient, events: readonly StoredPointEvent[]) => Promise<void>> = {
  "available-balance": applyToBalances,
  "point-lots": applyToLots,
  "point-history": applyToHistory,
};

type Applier = (tx: SqlClient, projection: ProjectionName, events: readonly LoggedPointEvent[]) => Promise<ParkedEvent[]>;
type ParkedEvent = { customerId: string; event: LoggedPointEvent; error: string };

/**
 * Applies the next batch of events to one projection and moves its checkpoint, in one transaction: after a crash it
 * resumes at the checkpoint, and no event is applied twice. The events of streams this projection has parked are
 * passed over. When the batch fails for a reason other than the database being away, the batch is applied again one
 * event at a time, and each event that still fails parks its customer's stream: one poisoned stream never stalls the
 * others. Returns how many events the checkpoint moved past (0 when caught up, or when another process holds this
 * projection).
 */
export async function projectNextBatch(projection: ProjectionName, batchSize: number): Promise<number> {
  let outcome: { moved: number; parked: ParkedEvent[] };
  try {
    outcome = await inTransaction((tx) => projectBatch(tx, projection, batchSize, applyBatch));
  } catch (error) {
    if (isPassingFault(error)) throw error;
    outcome = await inTransaction((tx) => projectBatch(tx, projection, batchSize, applyEachOrPark));
  }
  for (const { customerId, event, error } of outcome.parked) {
    logger.error(
      { projection, customerId, position: event.logPosition.position, eventType: event.event.type, error },
      "A loyalty projection could not apply an event: that customer's stream is parked, the others go on",
    );
  }
  return outcome.moved;
}

async function projectBatch(
  tx: SqlClient,
  projection: ProjectionName,
  batchSize: number,
  apply: Applier,
): Promise<{ moved: number; parked: ParkedEvent[] }> {
  const checkpoint = await lockCheckpoint(tx, projection);
  if (!checkpoint) return { moved: 0, parked: [] };
  const events = await readLogAfter(tx, checkpoint, batchSize);
  if (events.length === 0) return { moved: 0, parked: [] };
  const parked = await parkedAmong(tx, projection, distinct(events.map((stored) => stored.streamId)));
  const live = events.filter((stored) => !parked.has(stored.streamId));
  const newlyParked = live.length > 0 ? await apply(tx, projection, live) : [];
  await saveCheckpoint(tx, projection, events.at(-1)!.logPosition);
  return { moved: events.length, parked: newlyParked };
}

/** The usual way: the whole batch in one read and one write. */
const applyBatch: Applier = async (tx, projection, events) => {
  await PROJECTION_APPLIERS[projection](tx, events);
  return [];
};

/**
 * After the batch failed: each event on its own, in a savepoint, so the one that fails is undone alone and its
 * customer's stream is parked; that customer's later events in the batch are passed over with it.
 */
const applyEachOrPark: Applier = async (tx, projection, events) => {
  const parked: ParkedEvent[] = [];
  for (const event of events) {
    if (parked.some((park) => park.customerId === event.streamId)) continue;
    try {
      await inSavepoint(tx, () => PROJECTION_APPLIERS[projection](tx, [event]));
    } catch (error) {
      if (isPassingFault(error)) throw error;
      const park = { customerId: event.streamId, event, error: failureMessageOf(error) };
      await parkStream(tx, { projection, customerId: park.customerId, at: event.logPosition, error: park.error });
      parked.push(park);
    }
  }
  return parked;
};

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
