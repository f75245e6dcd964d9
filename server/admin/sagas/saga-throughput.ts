import { sql, sqlPool } from "@/server/sql";

export type SagaMinute = { minute: Date; completed: number; compensated: number };

/**
 * Sagas completed and compensated per minute over the last hour, every minute present (zeros included) so a chart
 * draws an honest line. Reads the partial index of finished sagas.
 */
export async function sagaThroughputLastHour(): Promise<SagaMinute[]> {
  return sqlPool.rows<SagaMinute>(sql`
    WITH minutes AS (
      SELECT generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()),
                             interval '1 minute') AS minute
    ), finished AS (
      SELECT date_trunc('minute', finished_at) AS minute, status FROM saga_instances
       WHERE finished_at >= date_trunc('minute', now()) - interval '59 minutes'
         AND status IN ('completed', 'compensated')
    )
    SELECT m.minute,
           count(f.status) FILTER (WHERE f.status = 'completed')::int AS completed,
           count(f.status) FILTER (WHERE f.status = 'compensated')::int AS compensated
      FROM minutes m LEFT JOIN finished f ON f.minute = m.minute
     GROUP BY m.minute ORDER BY m.minute`);
}
