import type { Redis as RedisClient } from "ioredis";
import type pg from "pg";
import type { AppEnv } from "../lib/bench-env";
import { benchClient, flushBenchRedis, insertCustomersWithWallets, migrateBenchDatabase, postgresSettings } from "../lib/bench-db";
import { clusterMasters, flushClusterMasters } from "../lib/bench-cluster";
import type { SagaOptions } from "./options";

export const PRICE_CENTS = 1_000;
const WALLET_CENTS = 1_000_000_000; // $10M: a million checkouts each, far inside the 32-bit balance column

/** The bench's shop, ready to take checkouts: the app's modules in this process and the bench's own connections. */
export type SagaShop = Awaited<ReturnType<typeof loadApp>> & {
  admin: pg.Client;
  pollerClient: pg.Client;
  vacuumClient: pg.Client;
  /** The one Redis, or each master of the cluster: for INFO's counters. */
  redisNodes: RedisClient[];
  postgres: Record<string, string>;
  customerIds: string[];
  slugs: string[];
  /** Closes everything this process opened, and drops the run's jobs and events from Redis. */
  close(): Promise<void>;
};

/** The app's modules, imported once this process's environment is the bench's (they read it as they load). */
async function loadApp() {
  const { disconnectDb } = await import("@/server/db");
  const { emptyShop } = await import("@/prisma/seed/seed-shop");
  const { reservationTtlMs, sagaEngine } = await import("@/server/runtime/checkout-saga-engine");
  const { startCheckout } = await import("@/server/retail/checkout/start-checkout");
  const { closeQueues } = await import("@/server/queues/define-queue");
  const { closeProducerConnection, getReadyProducerConnection } = await import("@/server/queues/connections");
  const { resolveSagaQueuePartitions } = await import("@/server/queues/saga-queue-partitions");
  const { Redis } = await import("ioredis");
  const { adjustPoints } = await import("@/server/loyalty/adjust-points");
  return { disconnectDb, emptyShop, reservationTtlMs, sagaEngine, startCheckout, closeQueues, closeProducerConnection, getReadyProducerConnection, resolveSagaQueuePartitions, Redis, adjustPoints };
}

/** Points each customer starts with when checkouts use points: far more than a run can spend. */
const POINTS_PER_CUSTOMER = 1_000_000;

/**
 * Migrates and empties the bench database and Redis, then stocks many products with effectively unlimited stock and
 * enough customers (one per virtual client) with large wallets — and, when checkouts use points, plenty of points
 * (given through Loyalty's own write path, as an admin's adjustment).
 */
export async function prepareSagaShop(options: SagaOptions, appEnv: AppEnv, logDir: string): Promise<SagaShop> {
  await migrateBenchDatabase(appEnv, logDir);
  const app = await loadApp();
  await app.emptyShop();
  const flushRedis = () => (options.clusterNodes ? flushClusterMasters(options.clusterNodes) : flushBenchRedis(options.redisUrl));
  await flushRedis();
  const admin = await benchClient(options.databaseUrl);
  const pollerClient = await benchClient(options.databaseUrl);
  const vacuumClient = await benchClient(options.databaseUrl);
  const postgres = await postgresSettings(admin);
  if (postgres.autovacuum === "off") {
    console.log(
      `  note: autovacuum is off on this PostgreSQL; ${options.vacuumBetweenLevels ? "the bench VACUUMs between levels" : "nothing is vacuumed (--no-vacuum)"}` +
        (options.vacuumEveryS > 0 ? ` and every ${options.vacuumEveryS} s during them` : ", not during them"),
    );
  }
  const redisNodes: RedisClient[] = options.clusterNodes
    ? await clusterMasters(options.clusterNodes)
    : [new app.Redis(options.redisUrl, { maxRetriesPerRequest: 1 })];
  const customers = Math.max(...options.levels);
  await admin.query(
    `INSERT INTO products (slug, name, description, colour, list_price_cents, sale_price_cents)
     SELECT 'bench-unicorn-' || i, 'Bench Unicorn ' || i, 'A unicorn for load tests.', '#f0abfc', $2::int * 2, $2::int
       FROM generate_series(1, $1::int) AS i`,
    [options.products, PRICE_CENTS],
  );
  await admin.query(`INSERT INTO inventory (product_id, on_hand) SELECT id, $1::int FROM products`, [options.stock]);
  const customerIds = await insertCustomersWithWallets(admin, { count: customers, balanceCents: WALLET_CENTS, emailPrefix: "bench-saga" });
  if (options.pointsShare > 0) {
    for (const customerId of customerIds) {
      await app.adjustPoints({
        customerId,
        points: POINTS_PER_CUSTOMER,
        reason: "Bench points",
        adjustedBy: "bench:saga",
        idempotencyKey: "bench-points",
        lotLifetimeDays: 365,
        now: new Date(),
      });
    }
    console.log(`  ${POINTS_PER_CUSTOMER.toLocaleString("en")} points each; ${Math.round(options.pointsShare * 100)}% of checkouts use ${options.points}`);
  }
  await admin.query("ANALYZE");
  const slugs = Array.from({ length: options.products }, (_, index) => `bench-unicorn-${index + 1}`);
  console.log(`  ${options.products} products × ${options.stock.toLocaleString("en")} units; ${customers} customers with $10M wallets`);

  const close = async () => {
    await app.closeQueues();
    await app.closeProducerConnection();
    await app.disconnectDb();
    await Promise.all([admin.end(), pollerClient.end(), vacuumClient.end()]);
    for (const redis of redisNodes) redis.disconnect();
    // Redis keeps everything in memory (noeviction, shared with others): drop the run's jobs and events.
    await flushRedis();
  };
  return { ...app, admin, pollerClient, vacuumClient, redisNodes, postgres, customerIds, slugs, close };
}
