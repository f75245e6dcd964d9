import { readLogAfter, START_OF_LOG } from "@/server/loyalty/projections/point-event-log";
import { evolveAvailableBalance, type AvailableBalance } from "@/server/loyalty/projections/available-balance";
import { applyPointLotChange, pointLotChangesOf, type PointLotRow } from "@/server/loyalty/projections/point-lots";
import { pointHistoryRowOf } from "@/server/loyalty/projections/point-history";
import { pointLotRowOf } from "@/server/loyalty/projections/point-lots/lot-table";
import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, sqlPool } from "@/server/sql";

/**
 * For tests: the read models as a replay of the whole event log computes them (pure evolve functions, in memory),
 * and as the tables hold them, in the same comparable shape.
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
  const balances = new Map<string, AvailableBalance>();
  const lots = new Map<string, PointLotRow>();
  const models: ReadModels = { balances: {}, lots: {}, history: {} };
  for (const stored of events) {
    const before = balances.get(stored.streamId)?.availablePoints ?? 0;
    balances.set(stored.streamId, evolveAvailableBalance(balances.get(stored.streamId) ?? null, stored));
    for (const change of pointLotChangesOf(stored)) {
      const lotId = change.kind === "open" ? change.row.lotId : change.lotId;
      const current = lots.get(lotId);
      const [changed] = applyPointLotChange(current ? [current] : [], change);
      if (changed) lots.set(lotId, changed);
    }
    const row = pointHistoryRowOf(stored, before);
    models.history[`${row.customerId}/${row.version}`] = {
      balanceAfter: row.balanceAfter,
      pointsDelta: row.pointsDelta,
      type: row.type,
      description: row.description,
    };
  }
  for (const [id, { availablePoints, lastVersion }] of balances) models.balances[id] = { availablePoints, lastVersion };
  for (const [id, { lotId: _lotId, ...lot }] of lots) models.lots[id] = lot;
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
