/**
 * `npm run bench:flash-sale` — Cyber Monday at the door: N signed-in shoppers press "buy" on the Classic Unicorn (5 in
 * stock) at the same moment, over HTTP, against the production build (served by the `start:web` npm script) and the
 * checkout worker(s).
 *
 * Resets its own database to the Cyber Monday state (resetShop), adds N shoppers whose wallets can afford a unicorn
 * (one bulk insert) and seals each a session cookie with the server's secret (no sign-ins), builds the app into
 * `.next-bench` in a copy of the sources outside the repository (or reuses that build with --no-build), starts the web
 * server (`start:web`) and the worker(s) (the `worker:checkout` npm script) from that copy, then fires every
 * `checkout.start` at once and polls `checkout.status` for each checkout until it is final. Prints what happened, how
 * fast, and an invariant check; exits non-zero if an invariant breaks.
 *
 *   npm run bench:flash-sale -- --shoppers 2000
 *   npm run bench:flash-sale -- --no-build          (reuse the last build)
 *   npm run bench:flash-sale -- --help
 *
 * flash-sale/options.ts reads the command line, flash-sale/run.ts drives the sale (servers.ts, shoppers.ts, sale.ts),
 * flash-sale/report.ts prints the figures and writes the JSON.
 */
import { parseFlashSaleOptions } from "./flash-sale/options";
import { reportFlashSale } from "./flash-sale/report";
import { runFlashSale } from "./flash-sale/run";
import { runBench } from "./lib/bench-main";

runBench("Flash-sale", async () => {
  const options = parseFlashSaleOptions();
  reportFlashSale(options, await runFlashSale(options));
});
