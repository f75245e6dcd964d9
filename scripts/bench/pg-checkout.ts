/**
 * `npm run bench:pg-checkout` — how close the one PostgreSQL is to its limit: a checkout's writes as ONE transaction
 * (checkout, wallet debit and ledger entry, order and outbox event, the stock row), run by pgbench on the shop's own
 * schema at several client counts, spread over many products and all on ONE product's stock row (the hot row's
 * ceiling); printed beside the last bench:saga run's sagas/s. Ends by checking the books; exits non-zero if one is off.
 *
 *   npm run bench:pg-checkout -- --levels 1,4,16,32,64 --duration 15 --cases spread,hot
 *   npm run bench:pg-checkout -- --help
 *
 * pg-checkout/checkout.sql is the transaction; options.ts the command line; run.ts and level.ts drive pgbench;
 * report.ts prints the tables and writes the JSON.
 */
import { runBench } from "./lib/bench-main";
import { parsePgCheckoutOptions } from "./pg-checkout/options";
import { reportPgCheckout } from "./pg-checkout/report";
import { runPgCheckout } from "./pg-checkout/run";

runBench("pg-checkout", async () => {
  const options = parsePgCheckoutOptions();
  reportPgCheckout(options, await runPgCheckout(options));
});
