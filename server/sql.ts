import { createHash } from "node:crypto";
import type pg from "pg";
import { pool } from "@/server/db";

/**
 * Plain SQL over the shared pool, for the checkout's hot path: each statement is one round trip with no ORM work in
 * between (measured: Prisma's interactive transactions cost several times the CPU of the statements themselves).
 *
 *   await tx.rows<{ id: string }>(sql`SELECT id FROM wallets WHERE customer_id = ${customerId}::uuid FOR UPDATE`)
 *
 * Values become $1, $2, … parameters, never text in the statement.
 */
export type SqlQuery = { text: string; values: unknown[] };

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  let text = strings[0] ?? "";
  values.forEach((_, index) => {
    text += `$${index + 1}${strings[index + 1] ?? ""}`;
  });
  return { text, values };
}

/**
 * Two writes as ONE statement, `first` as a data-modifying WITH of `then` (which must not have a WITH of its own):
 * PostgreSQL makes both or neither, in one round trip and without a transaction around them (BEGIN and COMMIT are
 * round trips of their own).
 */
export function together(first: SqlQuery, then: SqlQuery): SqlQuery {
  const shift = first.values.length;
  const renumbered = then.text.replace(/\$(\d+)/g, (_, index: string) => `$${Number(index) + shift}`);
  return { text: `WITH first_write AS (${first.text})\n${renumbered}`, values: [...first.values, ...then.values] };
}

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

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
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

/** PostgreSQL refused a duplicate of a unique key (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && (constraint === undefined || violated === constraint);
}
