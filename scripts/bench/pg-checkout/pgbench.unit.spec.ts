import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseStatementLatencies, parseSummary, readTransactionLog } from "./pgbench";

/** What pgbench 15 printed for a real level of this bench (progress lines left out). */
const OUTPUT = `pgbench (15.20 (Debian 15.20-0+deb12u1))
transaction type: /work/scripts/bench/pg-checkout/checkout.sql
query mode: prepared
number of clients: 16
number of threads: 2
maximum number of tries: 1
duration: 12 s
number of transactions actually processed: 4618
number of failed transactions: 0 (0.000%)
latency average = 41.392 ms
latency stddev = 37.229 ms
initial connection time = 83.264 ms
tps = 385.112733 (without initial connection time)
statement latencies in milliseconds and failures:
         0.002           0  \\set customer random(1, :customers)
         0.442           0  BEGIN;
         0.608           0  INSERT INTO checkouts (id, customer_id, product_id, quantity, unit_price_cents, amount_cents, idempotency_key)
         1.037           0  WITH wallet AS (
        35.547           0  UPDATE inventory SET on_hand = on_hand - 1, updated_at = now()
         2.601           0  COMMIT;
`;

describe("reading pgbench", () => {
  it("takes the figures of its summary", () => {
    expect(parseSummary(OUTPUT)).toEqual({ transactions: 4618, failed: 0, tps: 385.112733, latencyAverageMs: 41.392 });
  });

  it("refuses an output without a summary (pgbench failed), showing its end", () => {
    expect(() => parseSummary("pgbench: error: connection refused")).toThrow(/no summary:\npgbench: error: connection refused/);
  });

  it("names each SQL statement by its first words and leaves pgbench's own commands out", () => {
    expect(parseStatementLatencies(OUTPUT)).toEqual([
      { statement: "BEGIN;", averageMs: 0.442 },
      { statement: "INSERT INTO checkouts", averageMs: 0.608 },
      { statement: "WITH wallet AS", averageMs: 1.037 },
      { statement: "UPDATE inventory SET", averageMs: 35.547 },
      { statement: "COMMIT;", averageMs: 2.601 },
    ]);
  });

  describe("its per-transaction log", () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("keeps the transactions that ended inside the window, from every thread's file, in ms", () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-checkout-log-"));
      // client transaction latency_us script epoch_s epoch_us
      fs.writeFileSync(path.join(dir, "pgbench-hot-c2.100"), "0 1 1500 0 1000 500000\n0 2 2500 0 1002 0\n");
      fs.writeFileSync(path.join(dir, "pgbench-hot-c2.100.1"), "1 1 4000 0 1001 250000\n");
      fs.writeFileSync(path.join(dir, "output-hot-c2.txt"), "progress: 1.0 s, 300.0 tps, lat 3.1 ms stddev 1.0, 0 failed\n");
      const latencies = readTransactionLog(path.join(dir, "pgbench-hot-c2"), { fromMs: 1_000_400, toMs: 1_002_000 });
      expect(latencies.sort()).toEqual([1.5, 4]);
    });
  });
});
