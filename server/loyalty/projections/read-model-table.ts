/** A read model lives in its live table; a rebuild fills `<table>_next` and swaps it in (rebuild-projections.ts). */
export type ReadModelTable = "loyalty_balances" | "loyalty_lots" | "loyalty_history";

export function nextTableOf(table: ReadModelTable): string {
  return `${table}_next`;
}

/** The distinct values, in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
