/**
 * `npm run bench:http` — how fast the production build serves what a shopper asks for, side by side in one run: a
 * static asset, the catalog and product pages, catalog.list, a sold-out checkout.start (409), checkout.status, wallet.get
 * and the points page, the last four signed in (a session cookie from auth.signIn). Each address gets the same closed
 * loop (connections, warm-up, duration) by autocannon, and by wrk too when it is installed; its req/s is compared to
 * the static asset's and marked against a target. A second pass against a web server under `node --cpu-prof` says
 * where the CPU of a request goes, by package.
 *
 * Uses its own database, Redis database, port and copy of the app (defaults in --help), so that it can run beside the
 * other benches. Exits non-zero if any answer had an unexpected status.
 *
 *   npm run bench:http
 *   npm run bench:http -- --no-build --duration 2 --only catalog,points
 *   npm run bench:http -- --help
 *
 * http/options.ts reads the command line, http/run.ts drives it (shopper.ts, addresses.ts, measure.ts, profile.ts),
 * http/report.ts prints the tables and writes the JSON.
 */
import { parseHttpBenchOptions } from "./http/options";
import { reportHttpBench } from "./http/report";
import { runHttpBench } from "./http/run";
import { runBench } from "./lib/bench-main";

runBench("HTTP", async () => {
  const options = parseHttpBenchOptions();
  reportHttpBench(options, await runHttpBench(options));
});
