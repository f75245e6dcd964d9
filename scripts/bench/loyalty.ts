/**
 * `npm run bench:loyalty` — the Loyalty context under load: how fast points are appended and projected, how far the
 * read models trail a steady stream of purchases, and how long a full rebuild of the projections takes.
 *
 * Prepares its own database (migrated, emptied, the seeded campaign rules saved) and Redis database, then:
 * 1. Throughput: starts loyalty worker process(es) exactly as production does (the `worker:loyalty` npm script, e.g.
 *    `node --import tsx workers/loyalty.ts`), publishes N PurchaseCompleted jobs as fast as it can (many customers
 *    plus a few hot ones, whose concurrent appends conflict), and times appends and projections.
 * 2. Lag: publishes at fixed rates and follows each purchase until its points-history row exists.
 * 3. Rebuild: writes a large valid event log straight into loyalty_point_events, times `rebuildProjections`, and
 *    checks the rebuilt read models against SQL aggregates of the events.
 * Figures, not a test: prints tables, writes bench/results/loyalty-<time>.json, and exits non-zero only when a
 * correctness check fails.
 *
 *   npm run bench:loyalty
 *   npm run bench:loyalty -- --skip-throughput --rebuild-events 200000 --profile-rebuild
 *   npm run bench:loyalty -- --help
 *
 * loyalty/options.ts reads the command line, loyalty/run.ts drives the phases (worker-phases.ts, rebuild-phase.ts),
 * loyalty/report.ts prints the tables and writes the JSON.
 */
import { runBench } from "./lib/bench-main";
import { parseLoyaltyOptions } from "./loyalty/options";
import { reportLoyalty } from "./loyalty/report";
import { runLoyalty } from "./loyalty/run";

runBench("Loyalty", async () => {
  const options = parseLoyaltyOptions();
  reportLoyalty(options, await runLoyalty(options));
});
