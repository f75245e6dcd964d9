import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/server/generated/prisma/client";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

/**
 * The process's one PostgreSQL pool, shared by Prisma (page reads, seeds, tests) and by plain SQL (server/sql.ts:
 * every write and the hot paths; the README's "Reaching PostgreSQL" says which is used where). Next's dev server
 * re-evaluates modules on every change, so both are kept on globalThis to avoid opening a new pool each time.
 */
function createDatabase() {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  pool.on("error", (error) => logger.error({ err: error }, "PostgreSQL pool error"));
  return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
}

const globalForDb = globalThis as unknown as { database?: ReturnType<typeof createDatabase> };
const database = globalForDb.database ?? createDatabase();
if (env.NODE_ENV !== "production") globalForDb.database = database;

export const db = database.prisma;
export const pool = database.pool;

let disconnected = false;
export async function disconnectDb() {
  if (disconnected) return;
  disconnected = true;
  await db.$disconnect();
  await pool.end();
}
