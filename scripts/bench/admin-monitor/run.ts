import { sagaThroughputLastHour } from "@/server/admin/sagas/saga-throughput";
import * as admin from "@/server/admin/sagas/list-sagas";
import { sql, sqlPool } from "@/server/sql";
import { SEARCH_BUDGET_MS } from "./options";
import { searchQueries } from "./search-queries";

/** A search also says whether it found what it must, and whether its median is within SEARCH_BUDGET_MS. */
export type QueryTiming = { query: string; medianMs: number; maxMs: number; found?: boolean; withinBudget?: boolean };

/**
 * Each query the admin monitor runs (the real functions), once to warm up, then five times: median and slowest. The
 * searches (search-queries.ts) are checked for what they find, and timed against their budget.
 */
export async function timeMonitorQueries(sagas: number): Promise<QueryTiming[]> {
  const [someone] = await sqlPool.rows<{ id: string; email: string }>(sql`SELECT id, email FROM customers LIMIT 1`);
  const [middle] = await sqlPool.rows<{ id: string; created_at: Date }>(sql`
    SELECT id, created_at FROM saga_instances ORDER BY created_at LIMIT 1 OFFSET ${Math.floor(sagas / 2)}`);
  const sixDaysAgo = Date.now() - 6 * 86_400_000;
  const queries: [string, () => Promise<unknown>][] = [
    ["list: newest first, page 1", () => admin.listSagas({ filter: {}, limit: 25 })],
    ["list: a page in the middle (keyset cursor)", () => admin.listSagas({ filter: {}, limit: 25, cursor: { createdAt: middle!.created_at, id: middle!.id } })],
    ["list: status completed", () => admin.listSagas({ filter: { status: "completed" }, limit: 25 })],
    ["list: status needs attention", () => admin.listSagas({ filter: { status: "needs_attention" }, limit: 25 })],
    ["list: status running", () => admin.listSagas({ filter: { status: "running" }, limit: 25 })],
    ["list: one customer", () => admin.listSagas({ filter: { customerId: someone!.id }, limit: 25 })],
    ["list: one hour, six days ago", () => admin.listSagas({ filter: { from: new Date(sixDaysAgo - 3_600_000), to: new Date(sixDaysAgo) }, limit: 25 })],
    ["needs attention (pinned, with total)", () => admin.listSagasNeedingAttention()],
    ["counts per status", () => admin.countSagasByStatus()],
    ["finished per minute, last hour", () => sagaThroughputLastHour()],
  ];
  console.log("▸ Timing each query (1 warm-up, then 5 runs)");
  const results: QueryTiming[] = [];
  for (const [label, run] of queries) results.push({ query: label, ...(await timed(run)) });
  for (const search of await searchQueries(sagas)) {
    const found = await search.check();
    const timing = await timed(search.run);
    results.push({ query: search.label, ...timing, found, withinBudget: timing.medianMs <= SEARCH_BUDGET_MS });
  }
  return results;
}

async function timed(run: () => Promise<unknown>): Promise<{ medianMs: number; maxMs: number }> {
  await run();
  const times: number[] = [];
  for (let index = 0; index < 5; index++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Number(times[2]!.toFixed(1)), maxMs: Number(times[4]!.toFixed(1)) };
}
