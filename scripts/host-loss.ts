/**
 * `npm run chaos:host-loss` (as root) — a host lost mid-sale: a flash sale of 1,000 signed-in shoppers through HAProxy
 * against 2 shop hosts (network namespaces, scripts/hosts), and in the middle of it every process of one host killed
 * with kill -9 at once. Then every invariant is checked; exits non-zero if one breaks. About 2–3 minutes with a build.
 *
 *   npm run chaos:host-loss
 *   npm run chaos:host-loss -- --no-build --shoppers 2000 --stock 200
 *   npm run chaos:host-loss -- --redis-cluster-nodes 127.0.0.1:7100,127.0.0.1:7101,127.0.0.1:7102
 *   npm run chaos:host-loss -- --help
 *
 * hosts/host-loss/options.ts reads the command line, run.ts drives it (sale.ts the shoppers, balancer.ts HAProxy's
 * view), checks.ts holds the shop to its invariants, report.ts prints the figures and writes the JSON.
 */
import { runBench } from "./bench/lib/bench-main";
import { parseHostLossOptions } from "./hosts/host-loss/options";
import { reportHostLoss } from "./hosts/host-loss/report";
import { runHostLoss } from "./hosts/host-loss/run";

runBench("Host-loss", async () => reportHostLoss(await runHostLoss(parseHostLossOptions())));
