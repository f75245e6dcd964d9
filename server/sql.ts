import { createHash } from "node:crypto";
import type pg from "pg";
import { pool } from "@/server/db";

import { sql, type SqlQuery } from "./sql-query";

export { joinSql, sql, sqlIdentifier, together, trustedSqlText, type SqlQuery } from "./sql-query";

/**
 * Plain SQL over the shared pool: each statement is one round trip with no ORM work in between. Where the server uses
 * this and where it uses Prisma is written down in the README ("Reaching PostgreSQL").
 *
 *   await tx.rows<{ id: string }>(sql`SELECT id FROM wallets WHERE customer_id = ${customerId}::uuid FOR UPDATE`)
 */
export type SqlClient = {
  /** The rows a statement returns. */
  rows<Row>(query: SqlQuery): Promise<Row[]>;
  /** How many rows a statement wrote. */
  count(query: SqlQuery): Promise<number>;
};

/**
 * Every statement runs as a named prepared statement, so each connection parses and plans it once, not on every
 * call: on the checkout's hot path planning cost PostgreSQL more CPU than executing. The name is derived from the
 * text, so one text always has one name.
 */
const statementNames = new Map<string, string>();
function prepared(query: SqlQuery): pg.QueryConfig {
  let name = statementNames.get(query.text);
  if (!name) {
    name = `s_${createHash("sha1").update(query.text).digest("hex").slice(0, 20)}`;
    statementNames.set(query.text, name);
  }
  return { name, text: query.text, values: query.values };
}

function clientFor(queryable: pg.Pool | pg.PoolClient): SqlClient {
  return {
    async rows<Row>(query: SqlQuery) {
      return (await queryable.query(prepared(query))).rows as Row[];
    },
    async count(query: SqlQuery) {
      return (await queryable.query(prepared(query))).rowCount ?? 0;
    },
  };
}

/** Statements outside a transaction (each commits on its own). */
export const sqlPool: SqlClient = clientFor(pool);

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. READ COMMITTED
 * unless told otherwise; `repeatable read` gives every statement the same snapshot (for reads that must agree).
 */
export async function inTransaction<T>(
  work: (tx: SqlClient) => Promise<T>,
  options: { isolation?: "repeatable read" } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(options.isolation === "repeatable read" ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN");
    const result = await work(clientFor(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      // The connection itself failed: do not hand it to the next caller.
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `work` inside a savepoint of the transaction `tx`. If it throws, only what it did is undone and the error is
 * rethrown: the transaction can go on (after a failed statement PostgreSQL refuses every later one until the
 * transaction is rolled back, to a savepoint or whole). Nests: each ROLLBACK TO / RELEASE names the newest savepoint.
 */
export async function inSavepoint<T>(tx: SqlClient, work: () => Promise<T>): Promise<T> {
  await tx.count(sql`SAVEPOINT attempt`);
  try {
    const result = await work();
    await tx.count(sql`RELEASE SAVEPOINT attempt`);
    return result;
  } catch (error) {
    await tx.count(sql`ROLLBACK TO SAVEPOINT attempt`);
    throw error;
  }
}

/** PostgreSQL refused a duplicate of a unique key (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && (constraint === undefined || violated === constraint);
}
