import path from "node:path";
import { Redis } from "ioredis";
import { applyMigrations } from "@/scripts/db/apply-migrations";
import { integrationServices, recreateDatabase } from "@/server/testing/test-databases";

/**
 * Runs once before the integration tests: a freshly migrated database and an empty Redis database, both the tests'
 * own. Every run starts from the same state, whatever a previous (perhaps aborted) run left behind.
 */
export default async function setup(): Promise<void> {
  const { databaseUrl, redisUrl } = integrationServices();
  await recreateDatabase(databaseUrl);
  await applyMigrations({
    databaseUrl,
    migrationsDir: path.join(process.cwd(), "prisma/migrations"),
  });
  await flushRedis(redisUrl);
}

async function flushRedis(redisUrl: string): Promise<void> {
  // Fail at once when Redis is down instead of retrying until the hook times out.
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.flushdb();
    await redis.quit();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
