import { foldReadModels, newReadModelFold, type ReadModelFold } from "@/server/loyalty/projections/fold-read-models";
import { readLogAfter, START_OF_LOG } from "@/server/loyalty/projections/point-event-log";
import type { PointLotRow } from "@/server/loyalty/projections/point-lots";
import { pointLotRowOf } from "@/server/loyalty/projections/point-lots/lot-table";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, sqlPool } from "@/server/sql";

/**
 * For tests: the read models as a replay of the whole event log computes them (the rebuild's fold, foldReadModels,
 * in memory, in log order), and as the tables hold them, in the same comparable shape.
 */

export type ReadModels = {
  balances: Record<string, { availablePoints: number; lastVersion: number }>;
  lots: Record<string, Omit<PointLotRow, "lotId">>;
  history: Record<string, { balanceAfter: number; pointsDelta: number; type: string; description: string }>;
};

export async function readWholeLog(): Promise<StoredPointEvent[]> {
  const events: StoredPointEvent[] = [];
  for (let after = START_OF_LOG; ; ) {
    const batch = await readLogAfter(sqlPool, after, 5_000);
    if (batch.length === 0) return events;
    events.push(...batch.map(({ logPosition: _position, ...stored }) => stored));
    after = batch.at(-1)!.logPosition;
  }
}

export function replayReadModels(events: readonly StoredPointEvent[]): ReadModels {
  const folds = new Map<string, ReadModelFold>();
  const models: ReadModels = { balances: {}, lots: {}, history: {} };
  for (const stored of events) {
    const fold = folds.get(stored.streamId) ?? newReadModelFold();
    folds.set(stored.streamId, fold);
    const row = foldReadModels(fold, stored);
    if (row) {
      const { balanceAfter, pointsDelta, type, description } = row;
      models.history[`${row.customerId}/${row.version}`] = { balanceAfter, pointsDelta, type, description };
    }
  }
  for (const [id, { balance, lots }] of folds) {
    if (balance) models.balances[id] = { availablePoints: balance.availablePoints, lastVersion: balance.lastVersion };
    for (const { lotId, ...lot } of lots.values()) models.lots[lotId] = lot;
  }
  return models;
}

export async function readModelsInTables(): Promise<ReadModels> {
  const models: ReadModels = { balances: {}, lots: {}, history: {} };
  for (const row of await sqlPool.rows<{ customer_id: string; available_points: number; last_version: number }>(
    sql`SELECT customer_id, available_points, last_version FROM loyalty_balances`,
  )) {
    models.balances[row.customer_id] = { availablePoints: row.available_points, lastVersion: row.last_version };
  }
  for (const row of await sqlPool.rows<Parameters<typeof pointLotRowOf>[0]>(
    sql`SELECT lot_id, customer_id, points, remaining, earned_at, expires_at, expired FROM loyalty_lots`,
  )) {
    const { lotId, ...lot } = pointLotRowOf(row);
    models.lots[lotId] = lot;
  }
  for (const row of await sqlPool.rows<{
    customer_id: string;
    version: number;
    balance_after: number;
    points_delta: number;
    type: string;
    description: string;
  }>(sql`SELECT customer_id, version, balance_after, points_delta, type, description FROM loyalty_history`)) {
    models.history[`${row.customer_id}/${row.version}`] = {
      balanceAfter: row.balance_after,
      pointsDelta: row.points_delta,
      type: row.type,
      description: row.description,
    };
  }
  return models;
}
