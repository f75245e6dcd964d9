import pg from "pg";

/**
 * Where the integration tests keep their data: a database and a Redis database of their own (chosen in
 * vitest.config.mts, overridable with TEST_DATABASE_URL / TEST_REDIS_URL to run two suites side by side), so that
 * running the tests never touches the demo's `unicorn_retail` database or Redis database 0.
 */
export function integrationServices(): { databaseUrl: string; redisUrl: string } {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error("Run the integration tests through vitest (see vitest.config.mts)");
  return { databaseUrl, redisUrl };
}

// Dropping one of these by mistake would cost someone their data or their server.
const PROTECTED_DATABASES = new Set(["postgres", "template0", "template1", "unicorn_retail"]);

/** A URL for a throwaway database on the same server as the integration database. */
export function scratchDatabaseUrl(name: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`Scratch database name "${name}" must be lower-case letters, digits and underscores`);
  }
  const url = new URL(integrationServices().databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the database (disconnecting anyone still using it) and creates it again, empty. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  await dropDatabase(databaseUrl);
  await onMaintenanceDatabase(databaseUrl, (client, name) =>
    client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`),
  );
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  await onMaintenanceDatabase(databaseUrl, (client, name) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

async function onMaintenanceDatabase(
  databaseUrl: string,
  work: (client: pg.Client, databaseName: string) => Promise<unknown>,
): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (PROTECTED_DATABASES.has(name)) throw new Error(`Refusing to drop or recreate the "${name}" database`);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await work(client, name);
  } finally {
    await client.end();
  }
}
