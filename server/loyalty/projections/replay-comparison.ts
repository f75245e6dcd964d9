import type { StoredPointEvent } from "@/server/loyalty/points/stored-point-event";
import { sql, type SqlClient } from "@/server/sql";
import { foldReadModels, newReadModelFold, type ReadModelFold } from "./fold-read-models";
import type { PointLotRow } from "./point-lots";
import { pointLotRowOf } from "./point-lots/lot-table";
import type { ProjectionName } from "./projection-checkpoints";

/**
 * The read models as a replay of events computes them (the rebuild's fold, foldReadModels) and as the tables hold
 * them, in one comparable shape, and where the two differ: what the standing auditor's sample check
 * (audit-replay-sample.ts) and the tests (server/testing/loyalty-replay.ts) hold the projections to.
 */

export type ReadModels = {
  balances: Record<string, { availablePoints: number; lastVersion: number }>;
  lots: Record<string, Omit<PointLotRow, "lotId">>;
  /** Keyed `<customer id>/<version>`. */
  history: Record<string, { balanceAfter: number; pointsDelta: number; type: string; description: string }>;
};

/** Events of any customers, each stream in version order (the log's order, or the streams one after another). */
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

/** What the three tables hold, for these customers or (no list) everyone. */
export async function readModelsInTables(client: SqlClient, customerIds?: readonly string[]): Promise<ReadModels> {
  const only = customerIds ? [...customerIds] : null;
  const models: ReadModels = { balances: {}, lots: {}, history: {} };
  for (const row of await client.rows<{ customer_id: string; available_points: number; last_version: number }>(sql`
    SELECT customer_id, available_points, last_version FROM loyalty_balances
     WHERE ${only}::uuid[] IS NULL OR customer_id = ANY(${only}::uuid[])`)) {
    models.balances[row.customer_id] = { availablePoints: row.available_points, lastVersion: row.last_version };
  }
  for (const row of await client.rows<Parameters<typeof pointLotRowOf>[0]>(sql`
    SELECT lot_id, customer_id, points, remaining, earned_at, expires_at, expired FROM loyalty_lots
     WHERE ${only}::uuid[] IS NULL OR customer_id = ANY(${only}::uuid[])`)) {
    const { lotId, ...lot } = pointLotRowOf(row);
    models.lots[lotId] = lot;
  }
  for (const row of await client.rows<{
    customer_id: string;
    version: number;
    balance_after: number;
    points_delta: number;
    type: string;
    description: string;
  }>(sql`
    SELECT customer_id, version, balance_after, points_delta, type, description FROM loyalty_history
     WHERE ${only}::uuid[] IS NULL OR customer_id = ANY(${only}::uuid[])`)) {
    models.history[`${row.customer_id}/${row.version}`] = {
      balanceAfter: row.balance_after,
      pointsDelta: row.points_delta,
      type: row.type,
      description: row.description,
    };
  }
  return models;
}

/** One row a projection holds otherwise than the replay (null: the row is missing on that side). */
export type ReplayDifference = { projection: ProjectionName; customerId: string; row: string; inTable: unknown; inReplay: unknown };

/** Every row that differs between the tables and the replay, projection by projection. */
export function differencesFromReplay(tables: ReadModels, replay: ReadModels): ReplayDifference[] {
  return [
    ...differing("available-balance", tables.balances, replay.balances, (key) => ({ customerId: key, row: "balance" })),
    ...differing("point-lots", tables.lots, replay.lots, (key, lot) => ({ customerId: lot.customerId, row: `lot ${key}` })),
    ...differing("point-history", tables.history, replay.history, (key) => {
      const [customerId = key, version] = key.split("/");
      return { customerId, row: `history version ${version}` };
    }),
  ];
}

function differing<Row extends object>(
  projection: ProjectionName,
  tables: Record<string, Row>,
  replay: Record<string, Row>,
  name: (key: string, row: Row) => { customerId: string; row: string },
): ReplayDifference[] {
  const differences: ReplayDifference[] = [];
  for (const key of new Set([...Object.keys(tables), ...Object.keys(replay)])) {
    const [inTable, inReplay] = [tables[key] ?? null, replay[key] ?? null];
    if (comparable(inTable) === comparable(inReplay)) continue;
    differences.push({ projection, ...name(key, (inTable ?? inReplay)!), inTable, inReplay });
  }
  return differences;
}

/** A row as text with its fields in name order (dates as ISO strings), so equal rows give equal text. */
function comparable(row: object | null): string {
  return row === null ? "null" : JSON.stringify(row, Object.keys(row).sort());
}
