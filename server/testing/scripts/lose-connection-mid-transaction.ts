/**
 * Run by server/database-restart.int.spec.ts in a process of its own: a transaction is left waiting between two
 * statements (`between-statements`) or inside a long one (`in-statement`) while the test ends its connection the way a
 * PostgreSQL restart does (pg_terminate_backend: 57P01). Prints how the transaction ended and whether the pool still
 * works afterwards; a process killed by an unhandled 'error' event prints neither.
 */
import { disconnectDb } from "@/server/db";
import { inTransaction, sql, sqlPool } from "@/server/sql";

async function main(mode: string) {
  const outcome = await inTransaction(async (tx) => {
    await tx.rows(sql`SELECT set_config('application_name', 'lose-me', false)`);
    console.log("ready");
    if (mode === "in-statement") await tx.rows(sql`SELECT pg_sleep(10)`);
    else await new Promise((resolve) => setTimeout(resolve, 3_000));
    await tx.rows(sql`SELECT 1`);
  }).then(
    () => "committed",
    (error: { code?: string; message?: string }) => `failed: ${error.code ?? error.message}`,
  );
  console.log(outcome);
  const [row] = await sqlPool.rows<{ one: number }>(sql`SELECT 1 AS one`);
  console.log(`pool works: ${row?.one === 1}`);
  await disconnectDb();
}

void main(process.argv[2] ?? "between-statements");
