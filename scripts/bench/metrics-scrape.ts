import { parseArgs } from "node:util";
import { env } from "@/server/env";
import { renderMetrics } from "@/server/metrics/render-metrics";
import { closeProducerConnection } from "@/server/queues/connections";
import { closeQueues } from "@/server/queues/define-queue";
import { CHECKOUT_SAGA_TYPE } from "@/server/retail/checkout/checkout-saga";
import { sql, sqlPool, trustedSqlText } from "@/server/sql";
import { disconnectDb } from "@/server/db";

/**
 * `DATABASE_URL=… REDIS_URL=… npm run bench:metrics -- [--sagas 1000000] [--scrapes 40]`: what one GET /api/metrics
 * costs the web process with a million sagas. Tops the database up to `--sagas` synthetic sagas (99% completed, the
 * rest compensated, running or needing attention) and as many published outbox messages, then times the scrapes and
 * shows the plans of its two PostgreSQL reads. Refuses the demo's and the tests' default databases.
 */
const { values } = parseArgs({ options: { sagas: { type: "string", default: "1000000" }, scrapes: { type: "string", default: "40" } } });
const SAGAS = Number(values.sagas);
const SCRAPES = Number(values.scrapes);

async function main(): Promise<void> {
  const database = new URL(env.DATABASE_URL).pathname.slice(1);
  if (database === "unicorn_retail" || database === "unicorn_retail_test") throw new Error(`Refusing to fill ${database}: give a database of your own`);
  await seed();
  const times: number[] = [];
  for (let index = 0; index < SCRAPES; index += 1) {
    const began = performance.now();
    const text = await renderMetrics({ sagaTypes: [CHECKOUT_SAGA_TYPE] });
    times.push(performance.now() - began);
    if (index === 0) console.log(`${text.split("\n").filter((line) => line && !line.startsWith("#")).length} samples, ${Buffer.byteLength(text)} bytes`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  console.log(`${SCRAPES} scrapes with ${SAGAS.toLocaleString("en")} sagas: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);
  for (const query of [
    "SELECT saga_type, status::text, count(*)::int FROM saga_instances WHERE status IN ('running', 'compensating', 'needs_attention') AND status <> 'completed' GROUP BY 1, 2",
    "SELECT count(*) FROM (SELECT 1 FROM outbox_messages WHERE published_at IS NULL AND dead_lettered_at IS NULL LIMIT 100000) unsent",
  ]) {
    const plan = await sqlPool.rows<{ "QUERY PLAN": string }>(sql`EXPLAIN (ANALYZE, COSTS OFF) ${trustedSqlText(query)}`);
    console.log(plan.map((row) => row["QUERY PLAN"]).join("\n"));
  }
}

/** Synthetic sagas and outbox messages up to the count asked for (a saga's JSON input is never read by a scrape). */
async function seed(): Promise<void> {
  const [{ have } = { have: 0 }] = await sqlPool.rows<{ have: number }>(sql`SELECT count(*)::int AS have FROM saga_instances`);
  const missing = SAGAS - have;
  if (missing <= 0) return;
  console.log(`Adding ${missing.toLocaleString("en")} sagas…`);
  await sqlPool.count(sql`
    INSERT INTO saga_instances (saga_type, status, current_step, input, created_at, updated_at, finished_at)
    SELECT ${CHECKOUT_SAGA_TYPE}, status::saga_status, CASE WHEN status IN ('running', 'needs_attention') THEN 'debit-wallet' END, '{}'::jsonb,
           now() - make_interval(secs => n), now() - make_interval(secs => n),
           CASE WHEN status <> 'running' THEN now() - make_interval(secs => n) END
      FROM (SELECT n, CASE WHEN n % 1000 < 990 THEN 'completed' WHEN n % 1000 < 995 THEN 'compensated'
                           WHEN n % 1000 < 998 THEN 'running' ELSE 'needs_attention' END AS status
              FROM generate_series(1, ${missing}::int) n) s`);
  await sqlPool.count(sql`
    INSERT INTO outbox_messages (id, event_type, payload, created_at, published_at)
    SELECT gen_random_uuid(), 'BenchEvent', '{}'::jsonb, now() - make_interval(secs => n), CASE WHEN n % 2000 <> 0 THEN now() END
      FROM generate_series(1, ${missing}::int) n`);
  await sqlPool.count(sql`ANALYZE saga_instances`);
  await sqlPool.count(sql`ANALYZE outbox_messages`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await closeQueues();
    await closeProducerConnection();
    await disconnectDb();
  });
