import { storedPointEventOf } from "@/server/loyalty/event-store/point-event-store";
import { sql, type SqlClient } from "@/server/sql";
import { PROJECTION_NAMES } from "./projection-checkpoints";
import { differencesFromReplay, readModelsInTables, replayReadModels, type ReplayDifference } from "./replay-comparison";
import type { StreamRow } from "./replay-streams";

export const REPLAY_SAMPLE_RULE = "loyalty projections = replay";

/** The same shape as every rule of the standing invariant audit (composed with it in workers/checkout.ts). */
export type ReplaySampleAudit = {
  checks: { rule: string; checked: number }[];
  violations: { rule: string; subject: string; detail: string }[];
};

/** Rows named per violation: enough to see what broke, not a dump of a large customer's lots. */
const ROWS_SHOWN = 5;

/**
 * Projections = replay, for a rotating sample of customers: up to `sampleSize` streams after the one the last run
 * ended with (starting over once past the last), each customer's rows in the three projections compared with a
 * replay of their events. Customers the projections have not caught up with yet, or whose stream a projection
 * parked, are passed over this lap (they would differ for a reason already shown elsewhere). Reads through
 * `client`, which should be one snapshot (the auditor's REPEATABLE READ transaction), so events, checkpoints and
 * rows agree; it also moves the sample's cursor there.
 */
export async function auditReplaySample(client: SqlClient, options: { sampleSize?: number } = {}): Promise<ReplaySampleAudit> {
  const sampleSize = options.sampleSize ?? 50;
  const [cursor] = await client.rows<{ after: string | null }>(sql`SELECT after_customer_id AS after FROM loyalty_replay_sample_cursor`);
  const sample = await nextStreams(client, cursor?.after ?? null, sampleSize);
  const rows = await client.rows<StreamRow & { position: string }>(sql`
    SELECT stream_id, version, event_id, occurred_at, type, data, position::text AS position FROM loyalty_point_events
     WHERE stream_id = ANY(${sample}::uuid[]) ORDER BY stream_id, version`);
  const caughtUpTo = await projectedByAll(client);
  const passedOver = await parkedAmongAny(client, sample);
  for (const row of rows) if (BigInt(row.position) > caughtUpTo) passedOver.add(row.stream_id);
  const compared = sample.filter((customerId) => !passedOver.has(customerId));

  const replay = replayReadModels(rows.filter((row) => !passedOver.has(row.stream_id)).map(storedPointEventOf));
  const differences = differencesFromReplay(await readModelsInTables(client, compared), replay);
  await client.count(sql`
    INSERT INTO loyalty_replay_sample_cursor (id, after_customer_id, updated_at)
    VALUES (1, ${sample.length < sampleSize ? null : sample.at(-1)!}::uuid, now())
    ON CONFLICT (id) DO UPDATE SET after_customer_id = EXCLUDED.after_customer_id, updated_at = EXCLUDED.updated_at`);
  return { checks: [{ rule: REPLAY_SAMPLE_RULE, checked: compared.length }], violations: violationsOf(differences) };
}

/** The check as the standing auditor takes it (runInvariantAudit's `alsoCheck`, composed in workers/checkout.ts). */
export const replaySampleCheck = { rule: REPLAY_SAMPLE_RULE, audit: (client: SqlClient) => auditReplaySample(client) };

/** The next streams in customer-id order: one index probe each (a skip scan), however many events they hold. */
async function nextStreams(client: SqlClient, after: string | null, limit: number): Promise<string[]> {
  const rows = await client.rows<{ stream_id: string }>(sql`
    WITH RECURSIVE streams(stream_id, n) AS (
      (SELECT stream_id, 1 FROM loyalty_point_events
        WHERE ${after}::uuid IS NULL OR stream_id > ${after}::uuid ORDER BY stream_id LIMIT 1)
      UNION ALL
      SELECT (SELECT e.stream_id FROM loyalty_point_events e WHERE e.stream_id > s.stream_id ORDER BY e.stream_id LIMIT 1), s.n + 1
        FROM streams s WHERE s.stream_id IS NOT NULL AND s.n < ${limit}::int)
    SELECT stream_id FROM streams WHERE stream_id IS NOT NULL`);
  return rows.map((row) => row.stream_id);
}

/** The log position every projection has applied (0 while one has no checkpoint yet). */
async function projectedByAll(client: SqlClient): Promise<bigint> {
  const [row] = await client.rows<{ position: string }>(sql`
    SELECT CASE WHEN count(*) = ${PROJECTION_NAMES.length}::int THEN min(position) ELSE 0 END::text AS position
      FROM loyalty_projection_checkpoints WHERE projection = ANY(${[...PROJECTION_NAMES]}::text[])`);
  return BigInt(row?.position ?? "0");
}

async function parkedAmongAny(client: SqlClient, customerIds: readonly string[]): Promise<Set<string>> {
  const rows = await client.rows<{ customer_id: string }>(sql`
    SELECT DISTINCT customer_id FROM loyalty_parked_streams WHERE customer_id = ANY(${[...customerIds]}::uuid[])`);
  return new Set(rows.map((row) => row.customer_id));
}

/** One violation per customer and projection, naming the rows that differ and what each side holds. */
function violationsOf(differences: readonly ReplayDifference[]): ReplaySampleAudit["violations"] {
  const byStream = new Map<string, ReplayDifference[]>();
  for (const difference of differences) {
    const key = `${difference.customerId} ${difference.projection}`;
    byStream.set(key, [...(byStream.get(key) ?? []), difference]);
  }
  return [...byStream.values()].map((rows) => {
    const shown = rows.slice(0, ROWS_SHOWN).map((row) => `${row.row}: ${JSON.stringify(row.inTable)} in the table, ${JSON.stringify(row.inReplay)} in a replay`);
    const more = rows.length > ROWS_SHOWN ? `; and ${rows.length - ROWS_SHOWN} more rows` : "";
    return { rule: REPLAY_SAMPLE_RULE, subject: `customer ${rows[0]!.customerId}`, detail: `${rows[0]!.projection}: ${shown.join("; ")}${more}` };
  });
}
