import { createHash } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, ensureDatabaseExists, MigrationRefusedError } from "@/scripts/db/apply-migrations";
import { dropDatabase, recreateDatabase, scratchDatabaseUrl } from "@/server/testing/test-databases";

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma/migrations");
const DATABASE_URL = scratchDatabaseUrl("unicorn_scratch_apply_migrations");
const MISSING_DATABASE_URL = scratchDatabaseUrl("unicorn_scratch_ensure_database");
const BROKEN = "29991231000000_broken_probe";

interface HistoryRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}

const tempDirs: string[] = [];

async function query<Row extends pg.QueryResultRow>(sql: string, databaseUrl = DATABASE_URL): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function history(): Promise<HistoryRow[]> {
  return query<HistoryRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);
}

async function tableExists(table: string): Promise<boolean> {
  const [row] = await query<{ present: boolean }>(`SELECT to_regclass('public.${table}') IS NOT NULL AS present`);
  return row?.present ?? false;
}

async function localMigrations(): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(bytes).digest("hex") };
    }),
  );
}

async function firstMigrationName(): Promise<string> {
  const [first] = await localMigrations();
  if (!first) throw new Error(`No migrations in ${MIGRATIONS_DIR}`);
  return first.name;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "unicorn-migrations-"));
  tempDirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function writeMigration(migrationsDir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(migrationsDir, name), { recursive: true });
  await writeFile(path.join(migrationsDir, name, "migration.sql"), sql);
}

function migrate(migrationsDir = MIGRATIONS_DIR, onProgress?: (message: string) => void) {
  return applyMigrations({ databaseUrl: DATABASE_URL, migrationsDir, onProgress });
}

async function refusal(promise: Promise<unknown>): Promise<MigrationRefusedError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MigrationRefusedError);
  return error as MigrationRefusedError;
}

beforeEach(async () => {
  await recreateDatabase(DATABASE_URL);
});

afterAll(async () => {
  await dropDatabase(DATABASE_URL);
  await dropDatabase(MISSING_DATABASE_URL);
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("applyMigrations", () => {
  it("applies every migration to an empty database and records each as prisma migrate deploy does", async () => {
    const expected = await localMigrations();
    expect(expected.length).toBeGreaterThan(0);

    const result = await migrate();

    expect(result).toEqual({ applied: expected.map((m) => m.name), alreadyApplied: [] });
    expect(await tableExists("customers")).toBe(true);
    expect(await tableExists("wallet_entries")).toBe(true);
    const rows = await history();
    expect(rows.map((row) => ({ name: row.migration_name, checksum: row.checksum }))).toEqual(
      expected.map((m) => ({ name: m.name, checksum: m.checksum })),
    );
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it("applies nothing the second time and leaves the history as it was", async () => {
    await migrate();
    const before = await history();
    const progress: string[] = [];

    const result = await migrate(MIGRATIONS_DIR, (message) => progress.push(message));

    expect(result).toEqual({ applied: [], alreadyApplied: before.map((row) => row.migration_name) });
    expect(await history()).toEqual(before);
    expect(progress).toEqual([]);
  });

  it("refuses a migration that was edited after it was applied, before applying anything new", async () => {
    const dir = await copyOfMigrations();
    await migrate(dir);
    const first = await firstMigrationName();
    await appendFile(path.join(dir, first, "migration.sql"), "\n-- edited afterwards\n");
    await writeMigration(dir, "29991231000000_pending", `CREATE TABLE "pending_probe" (id INTEGER);`);
    const before = await history();

    const error = await refusal(migrate(dir));

    expect(error.code).toBe("CHECKSUM_MISMATCH");
    expect(error.message).toContain(first);
    expect(await history()).toEqual(before);
    expect(await tableExists("pending_probe")).toBe(false);
  });

  it("accepts an applied migration whose only change is CRLF line endings", async () => {
    const dir = await copyOfMigrations();
    await migrate(dir);
    const first = await firstMigrationName();
    const file = path.join(dir, first, "migration.sql");
    await writeFile(file, (await readFile(file, "utf8")).replaceAll("\n", "\r\n"));

    const result = await migrate(dir);

    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toContain(first);
  });

  it("records a failing migration, keeps none of it, blocks later runs until it is rolled back", async () => {
    const dir = await copyOfMigrations();
    const brokenSql = `CREATE TABLE "broken_probe" (id INTEGER);\nINSERT INTO "no_such_table" VALUES (1);\n`;
    await writeMigration(dir, BROKEN, brokenSql);

    const failure = await refusal(migrate(dir));

    expect(failure.code).toBe("MIGRATION_FAILED");
    expect(failure.message).toContain(BROKEN);
    expect(failure.message).toContain(`relation "no_such_table" does not exist`);
    expect(await tableExists("broken_probe")).toBe(false);
    expect(await tableExists("customers")).toBe(true);
    const [failed, ...others] = (await history()).filter((row) => row.migration_name === BROKEN);
    expect(others).toEqual([]);
    expect(failed?.finished_at).toBeNull();
    expect(failed?.rolled_back_at).toBeNull();
    expect(failed?.applied_steps_count).toBe(0);
    expect(failed?.logs).toContain(`relation "no_such_table" does not exist`);
    expect(failed?.logs).toContain("line 2");

    const blocked = await refusal(migrate(dir));
    expect(blocked.code).toBe("P3009");
    expect(blocked.message).toContain(BROKEN);
    expect(blocked.message).toContain("--rolled-back");

    await query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${BROKEN}'`);
    await writeMigration(dir, BROKEN, `CREATE TABLE "broken_probe" (id INTEGER);\n`);
    const result = await migrate(dir);

    expect(result.applied).toEqual([BROKEN]);
    expect(await tableExists("broken_probe")).toBe(true);
    const attempts = (await history()).filter((row) => row.migration_name === BROKEN);
    expect(attempts.map((row) => [row.rolled_back_at !== null, row.finished_at !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("refuses a non-empty schema that has no migration history, and creates nothing", async () => {
    await query(`CREATE TABLE "legacy_orders" (id INTEGER)`);

    const error = await refusal(migrate());

    expect(error.code).toBe("P3005");
    expect(error.message).toContain("legacy_orders");
    expect(await tableExists("_prisma_migrations")).toBe(false);
    expect(await tableExists("customers")).toBe(false);
  });

  it("applies each migration exactly once when two runs start at the same time", async () => {
    const expected = (await localMigrations()).map((m) => m.name);

    const results = await Promise.all([migrate(), migrate()]);

    expect(results.map((r) => r.applied).flat().sort()).toEqual(expected);
    expect(results.map((r) => r.alreadyApplied).flat().sort()).toEqual(expected);
    expect((await history()).map((row) => row.migration_name)).toEqual(expected);
  });

  it("warns about, but accepts, an applied migration whose folder is gone", async () => {
    await migrate();
    const dir = await mkdtemp(path.join(os.tmpdir(), "unicorn-migrations-"));
    tempDirs.push(dir);
    const progress: string[] = [];

    const result = await migrate(dir, (message) => progress.push(message));

    expect(result).toEqual({ applied: [], alreadyApplied: [] });
    const first = await firstMigrationName();
    expect(progress.some((message) => message.includes("warning") && message.includes(first))).toBe(true);
  });
});

describe("ensureDatabaseExists", () => {
  it("creates a missing database, then reports that it already exists", async () => {
    await dropDatabase(MISSING_DATABASE_URL);

    expect(await ensureDatabaseExists(MISSING_DATABASE_URL)).toBe(true);
    expect(await query<{ ok: number }>("SELECT 1 AS ok", MISSING_DATABASE_URL)).toEqual([{ ok: 1 }]);
    expect(await ensureDatabaseExists(MISSING_DATABASE_URL)).toBe(false);
  });
});
