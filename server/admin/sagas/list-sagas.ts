import { joinSql, sql, sqlPool, type SqlQuery } from "@/server/sql";
import { zeroByStatus, type SagaStatus } from "@/server/saga/saga-status";
import type { SagaListFilter } from "./saga-list-filter";
import { newestMatchingCheckouts, sagaSearchCondition } from "./saga-search-condition";

export type SagaListRow = {
  id: string;
  sagaType: string;
  status: SagaStatus;
  currentStep: string | null;
  failedStep: string | null;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  customerId: string | null;
  customerEmail: string | null;
  amountCents: number | null;
  orderId: string | null;
};

export type SagaListCursor = { createdAt: Date; id: string };
export type SagaListPage = { sagas: SagaListRow[]; nextCursor: SagaListCursor | null };

const SAGA_ROW_COLUMNS = sql`
  s.id, s.saga_type AS "sagaType", s.status, s.current_step AS "currentStep", s.failed_step AS "failedStep",
  s.failure_reason AS "failureReason", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
  s.finished_at AS "finishedAt", c.customer_id AS "customerId", cu.email AS "customerEmail",
  c.amount_cents AS "amountCents", o.id AS "orderId"`;

const SAGA_ROW_JOINS = sql`
  LEFT JOIN checkouts c ON c.id = s.id
  LEFT JOIN customers cu ON cu.id = c.customer_id
  LEFT JOIN orders o ON o.checkout_id = s.id`;

/** Sagas newest first, a page at a time (keyset pagination: as fast on page 1,000 as on page 1). */
export async function listSagas(options: {
  filter: SagaListFilter;
  cursor?: SagaListCursor | null;
  limit: number;
}): Promise<SagaListPage> {
  const conditions = sagaListConditions(options.filter);
  if (options.filter.search) {
    const search = await sagaSearchCondition(options.filter.search);
    if (search === null) return { sagas: [], nextCursor: null };
    // A search alone for part of an email or product name: its page is found among checkouts first (see there).
    const alone = search.onCheckouts && conditions.length === 0;
    conditions.push(alone ? newestMatchingCheckouts(search.where, { cursor: options.cursor, limit: options.limit + 1 }) : search.where);
  }
  if (options.cursor) {
    conditions.push(sql`(s.created_at, s.id) < (${options.cursor.createdAt}::timestamptz, ${options.cursor.id}::uuid)`);
  }
  const where = conditions.length > 0 ? sql`WHERE ${joinSql(conditions, " AND ")}` : sql``;
  const rows = await sqlPool.rows<SagaListRow>(sql`
    SELECT ${SAGA_ROW_COLUMNS} FROM saga_instances s ${SAGA_ROW_JOINS}
     ${where}
     ORDER BY s.created_at DESC, s.id DESC LIMIT ${options.limit + 1}`);
  const sagas = rows.slice(0, options.limit);
  const last = sagas.at(-1);
  return { sagas, nextCursor: rows.length > options.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/**
 * Sagas an operator must look at, pinned above the list: a compensation that gave up, or a saga still active a minute
 * past its deadline or past the time its next job was due (the sweep should have moved it by then). Three index
 * scans, one per reason, rather than one OR the planner would answer with a full scan.
 */
export async function listSagasNeedingAttention(limit = 50): Promise<{ sagas: SagaListRow[]; total: number }> {
  const ids = sql`
    SELECT id, updated_at FROM saga_instances WHERE status = 'needs_attention'
    UNION SELECT id, updated_at FROM saga_instances
     WHERE status IN ('running', 'compensating') AND deadline_at < now() - interval '1 minute'
    UNION SELECT id, updated_at FROM saga_instances
     WHERE status IN ('running', 'compensating') AND next_job_due_at < now() - interval '1 minute'`;
  // The newest first, and only those shown get their customer and order joined.
  const sagas = await sqlPool.rows<SagaListRow>(sql`
    WITH shown AS (SELECT id, updated_at FROM (${ids}) pinned ORDER BY updated_at DESC LIMIT ${limit})
    SELECT ${SAGA_ROW_COLUMNS} FROM shown JOIN saga_instances s ON s.id = shown.id ${SAGA_ROW_JOINS}
     ORDER BY s.updated_at DESC`);
  const [count] = await sqlPool.rows<{ total: number }>(sql`SELECT count(*)::int AS total FROM (${ids}) pinned`);
  return { sagas, total: count?.total ?? 0 };
}

export type SagaCounts = { byStatus: Record<SagaStatus, number>; completedIsEstimate: boolean };

/** Past this many sagas, "completed" is PostgreSQL's estimate: counting a million rows on every refresh is not worth it. */
const EXACT_COUNT_LIMIT = 100_000;

/**
 * How many sagas are in each status. Every status but "completed" is counted exactly (a partial index holds them);
 * "completed" is exact too while the table is small, then estimated from the table's statistics.
 */
export async function countSagasByStatus(): Promise<SagaCounts> {
  const rows = await sqlPool.rows<{ status: SagaStatus; count: number }>(
    sql`SELECT status, count(*)::int AS count FROM saga_instances WHERE status <> 'completed' GROUP BY status`,
  );
  const byStatus = zeroByStatus();
  for (const row of rows) byStatus[row.status] = row.count;
  const others = rows.reduce((sum, row) => sum + row.count, 0);
  const [table] = await sqlPool.rows<{ estimate: number }>(
    sql`SELECT GREATEST(reltuples, 0)::bigint::int AS estimate FROM pg_class WHERE oid = 'saga_instances'::regclass`,
  );
  const estimate = table?.estimate ?? 0;
  if (estimate > EXACT_COUNT_LIMIT) {
    byStatus.completed = Math.max(0, estimate - others);
    return { byStatus, completedIsEstimate: true };
  }
  const [completed] = await sqlPool.rows<{ count: number }>(
    sql`SELECT count(*)::int AS count FROM saga_instances WHERE status = 'completed'`,
  );
  byStatus.completed = completed?.count ?? 0;
  return { byStatus, completedIsEstimate: false };
}

/**
 * The conditions of a filter, over `saga_instances s` joined to `checkouts c` (the checkout shares the saga's id):
 * only those the filter sets, so each filter gets a plan that can use its index. The search is added by listSagas.
 */
function sagaListConditions(filter: SagaListFilter): SqlQuery[] {
  const conditions: SqlQuery[] = [];
  if (filter.status) conditions.push(sql`s.status = ${filter.status}::saga_status`);
  if (filter.sagaType) conditions.push(sql`s.saga_type = ${filter.sagaType}`);
  if (filter.customerId) conditions.push(sql`c.customer_id = ${filter.customerId}::uuid`);
  if (filter.from) conditions.push(sql`s.created_at >= ${filter.from}::timestamptz`);
  if (filter.to) conditions.push(sql`s.created_at < ${filter.to}::timestamptz`);
  return conditions;
}
