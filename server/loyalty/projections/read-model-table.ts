import type { SqlQuery } from "@/server/sql";

/**
 * A read model lives in its live table; a rebuild writes the same rows into `<table>_next` and swaps it in. The
 * statements are written against the live name and pointed at the other table here (table names cannot be
 * parameters).
 */
export type ReadModelTable = "loyalty_balances" | "loyalty_lots" | "loyalty_history";

export type TableTarget = "live" | "next";

export function nextTableOf(table: ReadModelTable): string {
  return `${table}_next`;
}

export function onTable(query: SqlQuery, table: ReadModelTable, target: TableTarget): SqlQuery {
  if (target === "live") return query;
  return { ...query, text: query.text.replaceAll(table, nextTableOf(table)) };
}

/** The distinct values, in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
