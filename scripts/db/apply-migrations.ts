import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Applies `prisma/migrations/*\/migration.sql` and records them in Prisma's own `_prisma_migrations` table the way
 * `prisma migrate deploy` does, because Prisma's schema engine cannot run on these machines. Wherever the engine can
 * run, `prisma migrate status/deploy` must see the same history, so the table, the lock and each step match it.
 */

// The advisory lock key Prisma's engine takes, so this runner and a real `prisma migrate deploy` never overlap.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
  id VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  finished_at TIMESTAMPTZ,
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT,
  rolled_back_at TIMESTAMPTZ,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  applied_steps_count INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationRefusalCode = "P3005" | "P3009" | "CHECKSUM_MISMATCH" | "MIGRATION_FAILED";

export class MigrationRefusedError extends Error {
  constructor(
    readonly code: MigrationRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "MigrationRefusedError";
  }
}

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  migrationsDir: string;
  onProgress?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  applied: string[];
  alreadyApplied: string[];
}

interface LocalMigration {
  name: string;
  sql: string;
}

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { databaseUrl, migrationsDir, onProgress = () => {} } = options;
  const migrations = await readLocalMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      return await applyWhileLocked(client, migrations, onProgress);
    } finally {
      // If the connection is gone the lock went with it; don't hide the error that got us here.
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function applyWhileLocked(
  client: pg.Client,
  migrations: LocalMigration[],
  report: (message: string) => void,
): Promise<ApplyMigrationsResult> {
  const rows = await readHistory(client, report);
  // Check the whole history before changing anything, so a refusal leaves the database exactly as it was.
  refuseFailedMigrations(rows);
  refuseEditedMigrations(rows, migrations);
  warnAboutMissingFolders(rows, migrations, report);

  const result: ApplyMigrationsResult = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    if (rows.some((row) => isApplied(row) && row.migration_name === migration.name)) {
      result.alreadyApplied.push(migration.name);
    } else {
      await applyOne(client, migration, report);
      result.applied.push(migration.name);
    }
  }
  return result;
}

async function readLocalMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8") })),
  );
}

async function readHistory(client: pg.Client, report: (message: string) => void): Promise<MigrationRow[]> {
  const { rows } = await client.query<{ present: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  if (!rows[0]?.present) {
    await refuseNonEmptySchema(client);
    await client.query(CREATE_MIGRATIONS_TABLE);
    report("Created the _prisma_migrations table");
    return [];
  }
  const history = await client.query<MigrationRow>(
    `SELECT id, migration_name, checksum, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return history.rows;
}

// Without a migration history nobody can tell which migrations an existing schema already contains.
async function refuseNonEmptySchema(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string; schema: string }>(
    `SELECT c.relname AS name, n.nspname AS schema
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     UNION ALL
     SELECT t.typname, n.nspname
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() AND t.typtype = 'e'
      ORDER BY 1 LIMIT 5`,
  );
  if (rows.length === 0) return;
  const names = rows.map((row) => row.name).join(", ");
  throw new MigrationRefusedError(
    "P3005",
    `The database schema "${rows[0]?.schema}" is not empty (it has ${names}${rows.length === 5 ? ", …" : ""}) ` +
      `but has no _prisma_migrations table, so it is unknown which migrations it already contains. Nothing was ` +
      `changed. Point DATABASE_URL at an empty database, or baseline this one: record each migration it already ` +
      `contains as applied (\`prisma migrate resolve --applied <migration>\` on a machine with Prisma's engine), ` +
      `then run the migrations again.`,
  );
}

function refuseFailedMigrations(rows: MigrationRow[]): void {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (!failed) return;
  const name = failed.migration_name;
  throw new MigrationRefusedError(
    "P3009",
    `Migration ${name} failed earlier in this database (its error is in _prisma_migrations.logs), and no ` +
      `migration runs until that is resolved. Nothing was changed. Check the database and undo or finish what the ` +
      `migration did, fix prisma/migrations/${name}/migration.sql if the SQL was wrong, then mark the failed ` +
      `attempt rolled back: \`prisma migrate resolve --rolled-back ${name}\` on a machine with Prisma's engine, ` +
      `or UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = '${failed.id}'; ` +
      `then run the migrations again.`,
  );
}

function refuseEditedMigrations(rows: MigrationRow[], migrations: LocalMigration[]): void {
  for (const migration of migrations) {
    const edited = rows.find(
      (row) => isApplied(row) && row.migration_name === migration.name && !matchesChecksum(migration.sql, row.checksum),
    );
    if (!edited) continue;
    throw new MigrationRefusedError(
      "CHECKSUM_MISMATCH",
      `Migration ${migration.name} was changed after it was applied to this database (checksum ` +
        `${sha256(migration.sql)} now, ${edited.checksum} when applied). Nothing was changed. An applied ` +
        `migration must stay as it was: restore prisma/migrations/${migration.name}/migration.sql from version ` +
        `control and put the change in a new migration.`,
    );
  }
}

function warnAboutMissingFolders(
  rows: MigrationRow[],
  migrations: LocalMigration[],
  report: (message: string) => void,
): void {
  const local = new Set(migrations.map((migration) => migration.name));
  const missing = rows.filter((row) => isApplied(row) && !local.has(row.migration_name));
  for (const name of new Set(missing.map((row) => row.migration_name))) {
    report(`⚠ warning: ${name} is recorded as applied in the database but has no folder in the migrations directory`);
  }
}

// The same steps, in the same order, as Prisma's engine: a crash between them leaves the row it would leave.
async function applyOne(client: pg.Client, migration: LocalMigration, report: (message: string) => void) {
  const id = randomUUID();
  const startedAt = performance.now();
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)`,
    [id, sha256(migration.sql), migration.name],
  );
  try {
    // No parameters: pg then uses the simple-query protocol, which runs the whole script in one implicit transaction.
    await client.query(migration.sql);
  } catch (error) {
    const logs = describeSqlError(error, migration.sql);
    // A failure to record the log still leaves the row unfinished, which blocks later runs as it should.
    await client.query(`UPDATE "_prisma_migrations" SET logs = $1 WHERE id = $2`, [logs, id]).catch(() => undefined);
    throw new MigrationRefusedError(
      "MIGRATION_FAILED",
      `Migration ${migration.name} failed, and later migrations were not run:\n${logs}\n` +
        `The script ran as one transaction, so none of it was kept. Fix ` +
        `prisma/migrations/${migration.name}/migration.sql, mark the failed attempt rolled back ` +
        `(\`prisma migrate resolve --rolled-back ${migration.name}\` on a machine with Prisma's engine, or ` +
        `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = '${id}'), then run the migrations again.`,
    );
  }
  await client.query(
    `UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1 WHERE id = $1`,
    [id],
  );
  await client.query(`UPDATE "_prisma_migrations" SET finished_at = now() WHERE id = $1`, [id]);
  report(`✓ applied ${migration.name} (${Math.round(performance.now() - startedAt)} ms)`);
}

function describeSqlError(error: unknown, sql: string): string {
  if (!(error instanceof pg.DatabaseError)) return error instanceof Error ? error.message : String(error);
  const lines = [`ERROR ${error.code ?? ""}: ${error.message}`];
  if (error.detail) lines.push(`DETAIL: ${error.detail}`);
  if (error.hint) lines.push(`HINT: ${error.hint}`);
  if (error.position) {
    // PostgreSQL counts the position from the start of the whole script, even for its later statements.
    lines.push(`at line ${sql.slice(0, Number(error.position) - 1).split("\n").length} of migration.sql`);
  }
  return lines.join("\n");
}

function isApplied(row: MigrationRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

// Prisma accepts a script whose line endings changed (a Git checkout on Windows), and so must we.
function matchesChecksum(sql: string, checksum: string): boolean {
  const otherEndings = sql.includes("\r\n") ? sql.replaceAll("\r\n", "\n") : sql.replaceAll("\n", "\r\n");
  return sha256(sql) === checksum || sha256(otherEndings) === checksum;
}

/** Creates the database named in `databaseUrl` if it does not exist yet; returns whether it created it. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  if (await canConnect(databaseUrl)) return false;
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    // Someone else created it between our check and now.
    if (error instanceof pg.DatabaseError && error.code === "42P04") return false;
    throw error;
  } finally {
    await client.end();
  }
}

// Connecting to the target first means a role that may not use the maintenance database can still migrate.
async function canConnect(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === "3D000") return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
