import type pg from "pg";
import { createProgress, fmt } from "../lib/report";

/**
 * A large, valid event log written straight into loyalty_point_events with set-based SQL, for timing the rebuild.
 *
 * Event i (1…N) belongs to customer ⌊C·h(i)²⌋, h a hash of i in [0, 1): a long tail, a few customers with thousands
 * of events, every one of the C with some. Versions count each customer's events in i order, and the events are
 * inserted in chunks in i order, so position order — the order projections read the log in — keeps every stream in
 * version order, as the event store does.
 *
 * What each event is: every 4th event of a customer is a PointsRedeemed taking half of the lot the event just before
 * it earned (so no lot and no balance ever goes below zero); the others are PointsEarned of 10–500 points under the
 * seeded threshold rule, earned over the last 300 days and expiring 365 days after. Ids are md5-derived uuids, so a
 * redemption can name its lot and a run is reproducible. Positions start at `positionsFrom`.
 */

const CHUNK_EVENTS = 50_000;
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export type SeededLog = { events: number; customers: number; earned: number; redeemed: number; seconds: number };

export async function seedPointEvents(
  client: pg.Client,
  options: { events: number; customers: number; ruleId: string; positionsFrom: number },
): Promise<SeededLog> {
  const started = performance.now();
  const progress = createProgress();
  // A log that has been in use for a while does not start at position 1.
  await client.query(`SELECT setval(pg_get_serial_sequence('loyalty_point_events', 'position'), $1::bigint, false)`, [
    options.positionsFrom,
  ]);
  progress.update(`  planning ${options.events.toLocaleString("en")} events over ${options.customers.toLocaleString("en")} customers…`);
  await client.query("DROP TABLE IF EXISTS bench_seed_plan");
  await client.query(
    `CREATE TEMP TABLE bench_seed_plan AS
     SELECT i, c, (row_number() OVER (PARTITION BY c ORDER BY i))::int AS version
       FROM (SELECT i, floor($2::int * power((hashint8(i) & 2147483647)::float8 / 2147483648.0, 2))::int AS c
               FROM generate_series(1, $1::bigint) AS i) AS drawn`,
    [options.events, options.customers],
  );
  await client.query("CREATE INDEX ON bench_seed_plan (i)");
  await client.query("ANALYZE bench_seed_plan");

  // The app's own clock format for dates in event data (JSON.stringify of a Date): ISO 8601 in UTC with milliseconds.
  const spreadMs = 300 * 86_400_000;
  const firstAt = new Date(Date.now() - spreadMs);
  for (let from = 0; from < options.events; from += CHUNK_EVENTS) {
    const to = Math.min(options.events, from + CHUNK_EVENTS);
    await client.query(
      `INSERT INTO loyalty_point_events (event_id, stream_id, version, type, data, occurred_at, caused_by)
       SELECT md5('bench-event-' || p.i)::uuid, md5('bench-customer-' || p.c)::uuid, p.version,
              CASE WHEN p.redeems THEN 'PointsRedeemed' ELSE 'PointsEarned' END,
              CASE WHEN p.redeems
                THEN jsonb_build_object(
                       'redemptionId', 'bench-redemption-' || p.i, 'points', p.half, 'redeemedAt', p.at_text,
                       'lots', jsonb_build_array(jsonb_build_object('lotId', p.previous_lot, 'points', p.half)))
                ELSE jsonb_build_object(
                       'lotId', p.lot, 'points', 10 * (1 + (p.c + p.version) % 50), 'earnedAt', p.at_text,
                       'expiresAt', to_char((p.at + interval '365 days') AT TIME ZONE 'UTC', ${ISO_UTC}),
                       'orderId', md5('bench-order-' || p.i)::uuid::text, 'ruleIds', jsonb_build_array($3::text))
              END,
              p.at,
              CASE WHEN p.redeems THEN 'bench-redemption-' || p.i ELSE p.lot END
         FROM (SELECT x.*, to_char(x.at AT TIME ZONE 'UTC', ${ISO_UTC}) AS at_text
                 FROM (SELECT i, c, version, version % 4 = 0 AS redeems,
                              5 * (1 + (c + version - 1) % 50) AS half,
                              md5('bench-lot-' || c || '-' || version)::uuid::text AS lot,
                              md5('bench-lot-' || c || '-' || (version - 1))::uuid::text AS previous_lot,
                              date_trunc('milliseconds', $5::timestamptz + (i * $4::float8) * interval '1 millisecond') AS at
                         FROM bench_seed_plan WHERE i > $1 AND i <= $2) AS x) AS p
        ORDER BY p.i`,
      [from, to, options.ruleId, spreadMs / options.events, firstAt],
    );
    const seconds = (performance.now() - started) / 1000;
    progress.update(`  inserted ${to.toLocaleString("en")}/${options.events.toLocaleString("en")} events (${fmt(to / seconds)}/s)`);
  }
  await client.query("DROP TABLE bench_seed_plan");
  progress.update("  VACUUM ANALYZE loyalty_point_events (autovacuum would have, in production)…");
  await client.query("VACUUM (ANALYZE) loyalty_point_events");
  progress.done();

  const { rows } = await client.query<{ events: number; customers: number; earned: number; redeemed: number }>(
    `SELECT count(*)::int AS events, count(DISTINCT stream_id)::int AS customers,
            count(*) FILTER (WHERE type = 'PointsEarned')::int AS earned,
            count(*) FILTER (WHERE type = 'PointsRedeemed')::int AS redeemed
       FROM loyalty_point_events`,
  );
  const counts = rows[0] ?? { events: 0, customers: 0, earned: 0, redeemed: 0 };
  return { ...counts, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
