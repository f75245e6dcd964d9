import type pg from "pg";
import { disconnectDb } from "@/server/db";
import { sqlPool } from "@/server/sql";
import { emptyShop } from "@/prisma/seed/seed-shop";
import { PROJECTION_NAMES } from "@/server/loyalty/projections/projection-checkpoints";
import { saveCampaignRule } from "@/server/loyalty/rules/campaign-rule-store";
import { seededCampaignRules } from "@/server/loyalty/rules/seeded-campaign-rules";
import { closeQueues } from "@/server/queues/define-queue";
import { closeProducerConnection } from "@/server/queues/connections";
import { benchClient, flushBenchRedis, postgresSettings } from "../lib/bench-db";

/**
 * The loyalty bench's database and Redis, emptied, with the seeded campaign rules saved, and the bench's own two
 * connections (checks, and polling). Imported only once this process's environment is the bench's: the app's
 * modules read it as they load.
 */

export type LoyaltyBench = {
  admin: pg.Client;
  poller: pg.Client;
  postgres: Record<string, string>;
  /** Closes everything this process opened, and empties the bench's Redis database. */
  close(): Promise<void>;
};

export async function prepareLoyaltyBench(options: { databaseUrl: string; redisUrl: string }): Promise<LoyaltyBench> {
  await emptyShop();
  await flushBenchRedis(options.redisUrl);
  const admin = await benchClient(options.databaseUrl);
  const poller = await benchClient(options.databaseUrl);
  // The checkpoint rows come with the schema (emptyShop rewinds them); make sure they are there whatever it did.
  await admin.query(`INSERT INTO loyalty_projection_checkpoints (projection) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [
    [...PROJECTION_NAMES],
  ]);
  for (const rule of seededCampaignRules()) await saveCampaignRule(sqlPool, rule, rule.id);
  const postgres = await postgresSettings(admin);
  console.log(`  seeded campaign rules saved; PostgreSQL: ${JSON.stringify(postgres)}`);
  const close = async () => {
    await closeQueues();
    await closeProducerConnection();
    await disconnectDb();
    await Promise.all([admin.end(), poller.end()]);
    await flushBenchRedis(options.redisUrl);
  };
  return { admin, poller, postgres, close };
}
