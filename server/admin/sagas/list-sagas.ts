import { sqlPool } from "@/server/sql";
import type { SagaStatus } from "@/server/saga/saga-plan";
import { sagaListWhere, type SagaListFilter } from "./saga-list-filter";

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

const SAGA_ROW_COLUMNS = `
  s.id, s.saga_type AS "sagaType", s.status, s.current_step AS "currentStep", s.failed_step AS "failedStep",
  s.failure_reason AS "failureReason", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
  s.finished_at AS "finishedAt", c.customer_id AS "customerId", cu.email AS "customerEmail",
  c.amount_cents AS "amountCents", o.id AS "orderId"`;

const SAGA_ROW_JOINS = `
  LEFT JOIN checkouts c ON c.id = s.id
  LEFT JOIN customers cu ON cu.id = c.customer_id
  LEFT JOIN orders o ON o.checkout_id = s.id`;

/** Sagas newest first, a page at a time (keyset pagination: as fast on page 1,000 as on page 1). */
export async function listSagas(options: {
  filter: SagaListFilter;
  cursor?: SagaListCursor | null;
  limit: number;
}): Promise<SagaListPage> {
  const values: unknown[] = [];
  const where = sagaListWhere(options.filter, values);
  if (options.cursor) {
    values.push(options.cursor.createdAt, options.cursor.id);
    where.push(`(s.created_at, s.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(options.limit + 1);
  const rows = await sqlPool.rows<SagaListRow>({
    text: `SELECT ${SAGA_ROW_COLUMNS} FROM saga_instances s ${SAGA_ROW_JOINS}
            ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
            ORDER BY s.created_at DESC, s.id DESC LIMIT $${values.length}`,
    values,
  });
  const sagas = rows.slice(0, options.limit);
  const last = sagas.at(-1);
  return { sagas, nextCursor: rows.length > options.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/**
 * Sagas an operator must look at, pinned above the list: a compensation that gave up, or a saga still active a minute
 * past its deadline or past the time its next job was due (the sweep should have moved it by then).
 */
export async function listSagasNeedingAttention(limit = 50): Promise<{ sagas: SagaListRow[]; total: number }> {
  const condition = `(s.status = 'needs_attention'
     OR (s.status IN ('running', 'compensating') AND s.deadline_at < now() - interval '1 minute')
     OR (s.status IN ('running', 'compensating') AND s.next_job_due_at < now() - interval '1 minute'))`;
  const sagas = await sqlPool.rows<SagaListRow>({
    text: `SELECT ${SAGA_ROW_COLUMNS} FROM saga_instances s ${SAGA_ROW_JOINS}
            WHERE ${condition} ORDER BY s.updated_at DESC LIMIT $1`,
    values: [limit],
  });
  const [count] = await sqlPool.rows<{ total: number }>({
    text: `SELECT count(*)::int AS total FROM saga_instances s WHERE ${condition}`,
    values: [],
  });
  return { sagas, total: count?.total ?? 0 };
}

/** How many sagas are in each status (all of them, whatever the filter). */
export async function countSagasByStatus(): Promise<Record<SagaStatus, number>> {
  const rows = await sqlPool.rows<{ status: SagaStatus; count: number }>({
    text: `SELECT status, count(*)::int AS count FROM saga_instances GROUP BY status`,
    values: [],
  });
  const counts: Record<SagaStatus, number> = { running: 0, completed: 0, compensating: 0, compensated: 0, needs_attention: 0 };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}
