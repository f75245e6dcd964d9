import path from "node:path";
import { applyMigrations, ensureDatabaseExists, MigrationRefusedError } from "@/scripts/db/apply-migrations";
import { env } from "@/server/env";

/** `tsx scripts/db/migrate.ts`: creates the database if needed and applies every pending Prisma migration. */
async function main(): Promise<void> {
  const databaseUrl = env.DATABASE_URL;
  const database = new URL(databaseUrl).pathname.slice(1);
  if (await ensureDatabaseExists(databaseUrl)) console.log(`Created database ${database}`);

  const { applied, alreadyApplied } = await applyMigrations({
    databaseUrl,
    migrationsDir: path.join(process.cwd(), "prisma/migrations"),
    onProgress: (message) => console.log(message),
  });
  const total = applied.length + alreadyApplied.length;
  const summary = applied.length > 0 ? `applied ${applied.length} of ${count(total)}` : count(total);
  console.log(`Database ${database} is up to date (${summary})`);
}

function count(migrations: number): string {
  return `${migrations} migration${migrations === 1 ? "" : "s"}`;
}

main().catch((error: unknown) => {
  // A refusal is an expected outcome with instructions in its message; a stack trace would only bury them.
  const message = error instanceof MigrationRefusedError ? `${error.message} (${error.code})` : errorMessage(error);
  console.error(`Migration stopped: ${message}`);
  process.exit(1);
});

function errorMessage(error: unknown): string {
  // Node reports a refused connection to a name with several addresses as an AggregateError with no message.
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(errorMessage).join("; ");
  return error instanceof Error ? error.message : String(error);
}
