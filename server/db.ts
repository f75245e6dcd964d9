import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/server/generated/prisma/client";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

/**
 * The process's one PostgreSQL pool, shared by Prisma (page reads, seeds, tests) and by plain SQL (server/sql.ts:
 * every write and the hot paths; the README's "Reaching PostgreSQL" says which is used where). Next's dev server
 * re-evaluates modules on every change, so both are kept on globalThis to avoid opening a new pool each time.
 *
 * Every connection is bounded (connect, statement, lock and idle-in-transaction timeouts; see server/env.ts), and
 * every connection has its own error listener: pg-pool listens only while a connection is idle, so when PostgreSQL
 * ended a connection that was checked out (a restart or failover: 57P01) the 'error' event had no listener and took
 * the whole process down. Now the statement in flight fails (the caller's unit of work is retried or answered 503,
 * see server/database-unavailable.ts) and the pool drops that connection.
 */
function createDatabase() {
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_SIZE,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
    lock_timeout: env.DATABASE_LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  pool.on("connect", (client) => {
    client.on("error", (error) => logger.warn({ err: error }, "PostgreSQL connection lost"));
  });
  // An idle connection's error reaches the pool too; its own listener (above) has logged it already.
  pool.on("error", () => {});
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
