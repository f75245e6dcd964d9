import { inTransaction, sql, sqlIdentifier, sqlPool, trustedSqlText, type SqlClient } from "@/server/sql";
import { START_OF_LOG, type LogPosition } from "./point-event-log";
import { ensureCheckpoints, lockCheckpoint, PROJECTION_NAMES, saveCheckpoint } from "./projection-checkpoints";
import { nextTableOf, type ReadModelTable } from "./read-model-table";
import { readStreamsAfter, StreamReplay, writeFolded } from "./replay-streams";

const READ_MODEL_TABLES: readonly ReadModelTable[] = ["loyalty_balances", "loyalty_lots", "loyalty_history"];

export type RebuildProgress = { eventsApplied: number; eventsInLog: number };

/**
 * Replays the whole event log into fresh read models and swaps them in (`npm run loyalty:rebuild`).
 *
 * One transaction: it holds every projection's checkpoint (the worker's processors skip while it runs, so nothing
 * else writes the read models), fills `<table>_next` tables, then renames them into place, sets the checkpoints to
 * the last event replayed and unparks every parked stream (parked-streams.ts). Readers keep the old tables until the
 * commit, then see the new ones whole. Events appended meanwhile come after that checkpoint, and the worker applies
 * them as usual.
 */
export async function rebuildProjections(
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<{ eventsApplied: number; checkpoint: LogPosition }> {
  const batchSize = options.batchSize ?? 10_000;
  await ensureCheckpoints(sqlPool);
  return inTransaction(async (tx) => {
    // Building the indexes of a large log takes longer than the shop's per-statement limit, which is for requests.
    await tx.rows(sql`SELECT set_config('statement_timeout', '0', true)`);
    for (const projection of PROJECTION_NAMES) await lockCheckpoint(tx, projection, true);
    for (const table of READ_MODEL_TABLES) await createNextTable(tx, table);

    // The cut: the last event a processor could read now. Later appends are the processors' after the swap.
    const [cut] = await tx.rows<LogPosition>(sql`
      SELECT e.position::text AS position FROM loyalty_point_events e ORDER BY e.position DESC LIMIT 1`);
    const checkpoint = cut ?? START_OF_LOG;
    const [{ count: eventsInLog } = { count: 0 }] = await tx.rows<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM loyalty_point_events e WHERE e.position <= ${checkpoint.position}::bigint`,
    );
    // Reads and writes share the transaction's one connection; folding batch k+1 (JS) overlaps writing batch k (SQL).
    const replay = new StreamReplay();
    const read = (after: { streamId: string; version: number }) =>
      cut ? readStreamsAfter(tx, { after, cut: checkpoint, limit: batchSize }) : Promise.resolve([]);
    let rows = await read({ streamId: "00000000-0000-0000-0000-000000000000", version: 0 });
    let folded = replay.fold(rows, rows.length < batchSize);
    let eventsApplied = 0;
    for (;;) {
      const last = rows.at(-1);
      const more = rows.length === batchSize && last !== undefined;
      const nextRows = more ? await read({ streamId: last.stream_id, version: last.version }) : [];
      const writing = writeFolded(tx, folded);
      // Folded even when empty: that finishes the customer the last full batch ended in.
      const nextFolded = more ? replay.fold(nextRows, nextRows.length < batchSize) : null;
      await writing;
      eventsApplied += folded.events;
      if (folded.events > 0) options.onProgress?.({ eventsApplied, eventsInLog });
      if (!nextFolded) break;
      rows = nextRows;
      folded = nextFolded;
    }
    for (const table of READ_MODEL_TABLES) await buildIndexesLikeLive(tx, table);

    for (const table of READ_MODEL_TABLES) await swapInNextTable(tx, table);
    for (const projection of PROJECTION_NAMES) await saveCheckpoint(tx, projection, checkpoint);
    // Every stream was just replayed and written whole, the parked ones too, so none is behind any more. (Had one
    // still failed, the rebuild would have failed with it and changed nothing.)
    await tx.count(sql`DELETE FROM loyalty_parked_streams`);
    return { eventsApplied, checkpoint };
  });
}

async function createNextTable(tx: SqlClient, table: ReadModelTable): Promise<void> {
  await tx.count(sql`DROP TABLE IF EXISTS ${sqlIdentifier(nextTableOf(table))}`);
  // Columns, defaults and CHECKs only: the indexes are built once the rows are in (buildIndexesLikeLive).
  await tx.count(sql`
    CREATE TABLE ${sqlIdentifier(nextTableOf(table))} (LIKE ${sqlIdentifier(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
}

/**
 * Gives `<table>_next` the live table's indexes and primary key, built in one pass over the loaded rows (much cheaper
 * than maintaining them row by row). The names are temporary; swapInNextTable gives them the live names.
 */
async function buildIndexesLikeLive(tx: SqlClient, table: ReadModelTable): Promise<void> {
  const rows = await tx.rows<{ name: string; definition: string; primary: boolean }>(sql`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition, x.indisprimary AS primary
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = ${table} AND t.relnamespace = 'public'::regnamespace`);
  for (const index of rows) {
    const name = `${index.name}_rebuilt`;
    const definition = index.definition.replace(/^(CREATE (?:UNIQUE )?INDEX) \S+ ON \S+ /, `$1 ${name} ON public.${nextTableOf(table)} `);
    await tx.count(trustedSqlText(definition));
    if (index.primary) {
      await tx.count(sql`
        ALTER TABLE ${sqlIdentifier(nextTableOf(table))} ADD CONSTRAINT ${sqlIdentifier(name)} PRIMARY KEY USING INDEX ${sqlIdentifier(name)}`);
    }
  }
}

/**
 * Puts `<table>_next` in the live table's place and gives its indexes (and so its primary key) the live names, so
 * the schema is exactly what the migrations made.
 */
async function swapInNextTable(tx: SqlClient, table: ReadModelTable): Promise<void> {
  const liveIndexes = await indexesOf(tx, table);
  const nextIndexes = await indexesOf(tx, nextTableOf(table));
  await tx.count(sql`DROP TABLE ${sqlIdentifier(table)}`);
  await tx.count(sql`ALTER TABLE ${sqlIdentifier(nextTableOf(table))} RENAME TO ${sqlIdentifier(table)}`);
  for (const index of nextIndexes) {
    const live = liveIndexes.find((candidate) => candidate.shape === index.shape);
    if (!live) throw new Error(`Rebuilt ${table} has an index the live table lacks: ${index.name}`);
    await tx.count(sql`ALTER INDEX ${sqlIdentifier(index.name)} RENAME TO ${sqlIdentifier(live.name)}`);
  }
}

/** Index names with their definition minus the names, to pair a table's indexes with its copy's. */
async function indexesOf(tx: SqlClient, table: string): Promise<{ name: string; shape: string }[]> {
  const rows = await tx.rows<{ name: string; definition: string }>(sql`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = ${table} AND t.relnamespace = 'public'::regnamespace`);
  return rows.map((row) => ({
    name: row.name,
    shape: row.definition.replace(/INDEX \S+ ON \S+/, "INDEX ON"),
  }));
}
