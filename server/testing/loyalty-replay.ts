import { readLogAfter, START_OF_LOG } from "@/server/loyalty/projections/point-event-log";
import { readModelsInTables as readModelsOf, type ReadModels } from "@/server/loyalty/projections/replay-comparison";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sqlPool } from "@/server/sql";

/**
 * For tests: the whole event log, and the read models as the tables hold them for every customer, to compare with
 * `replayReadModels` of the log (the comparison itself is Loyalty's, replay-comparison.ts, which the standing
 * auditor's sample check uses too).
 */

export { replayReadModels, type ReadModels } from "@/server/loyalty/projections/replay-comparison";

export async function readWholeLog(): Promise<StoredPointEvent[]> {
  const events: StoredPointEvent[] = [];
  for (let after = START_OF_LOG; ; ) {
    const batch = await readLogAfter(sqlPool, after, 5_000);
    if (batch.length === 0) return events;
    events.push(...batch.map(({ logPosition: _position, ...stored }) => stored));
    after = batch.at(-1)!.logPosition;
  }
}

export function readModelsInTables(): Promise<ReadModels> {
  return readModelsOf(sqlPool);
}
