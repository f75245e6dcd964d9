import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/server/generated/prisma/client";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

/**
 * The one Prisma client of this process. Next's dev server re-evaluates modules on every change, so the client is
 * kept on globalThis to avoid opening a new pool each time.
 */
function createPrismaClient() {
  const adapter = new PrismaPg(
    { connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE },
    { onPoolError: (error) => logger.error({ err: error }, "PostgreSQL pool error") },
  );
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof createPrismaClient> };

export const db = globalForPrisma.prisma ?? createPrismaClient();
if (env.NODE_ENV !== "production") globalForPrisma.prisma = db;

export type Db = typeof db;
/** A client or an interactive transaction: domain functions that take part in a caller's transaction accept this. */
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export async function disconnectDb() {
  await db.$disconnect();
}
