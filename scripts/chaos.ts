/**
 * `npm run chaos` — the shop under load while things break on purpose: workers killed with kill -9, PostgreSQL
 * restarted, Redis wiped and restarted, jobs delivered twice. Afterwards every invariant is checked and a table says
 * what load was held, which faults were injected, what was lost or done twice (both must be 0) and how long the shop
 * took to complete a checkout again after each fault. A benchmark-style run, not a unit test; `npm test` runs 60 s of it.
 *
 *   npm run chaos                       60 s, as root with real restarts of PostgreSQL and Redis
 *   npm run chaos -- --duration 300
 *   npm run chaos -- --help
 *
 * chaos/options.ts reads the command line, chaos/shop.ts starts the shop, chaos/shoppers.ts is the load,
 * chaos/faults.ts the faults, chaos/checks.ts the settling and the checks, chaos/report.ts the table and the JSON.
 */
import { runBench } from "./bench/lib/bench-main";
import { parseChaosOptions } from "./chaos/options";
import { reportChaos } from "./chaos/report";
import { runChaos } from "./chaos/run";

runBench("Chaos", async () => reportChaos(await runChaos(parseChaosOptions())));
