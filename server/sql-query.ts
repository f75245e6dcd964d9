/**
 * SQL statements as values, for server/sql.ts and anything that composes one: the `sql` tag turns interpolated
 * values into $1, $2, … parameters (never text in the statement), and an interpolated `sql` fragment is spliced in
 * with its own parameters renumbered, so a statement built from parts never numbers a parameter by hand.
 *
 *   const byStatus = sql`s.status = ${status}::saga_status`;
 *   sql`SELECT id FROM saga_instances s WHERE ${joinSql([byStatus, sql`s.created_at < ${to}`], " AND ")}`
 *
 * Pure (no pool), so it is unit tested on its own.
 */
const FRAGMENT: unique symbol = Symbol("sql fragment");

export type SqlQuery = { readonly text: string; readonly values: unknown[]; readonly [FRAGMENT]: true };

function fragment(text: string, values: unknown[]): SqlQuery {
  return { text, values, [FRAGMENT]: true };
}

function isFragment(value: unknown): value is SqlQuery {
  return typeof value === "object" && value !== null && FRAGMENT in value;
}

/** Shifts a fragment's $n by `offset`: its parameters follow those already in the statement it joins. */
function renumber(text: string, offset: number): string {
  return offset === 0 ? text : text.replace(/\$(\d+)/g, (_, index: string) => `$${Number(index) + offset}`);
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  let text = strings[0] ?? "";
  const parameters: unknown[] = [];
  values.forEach((value, index) => {
    if (isFragment(value)) {
      text += renumber(value.text, parameters.length);
      parameters.push(...value.values);
    } else {
      parameters.push(value);
      text += `$${parameters.length}`;
    }
    text += strings[index + 1] ?? "";
  });
  return fragment(text, parameters);
}

/** Fragments one after another with `separator` between them (e.g. " AND "); `empty` when there are none. */
export function joinSql(parts: readonly SqlQuery[], separator: string, empty: SqlQuery = sql``): SqlQuery {
  if (parts.length === 0) return empty;
  let text = parts[0]!.text;
  const values = [...parts[0]!.values];
  for (const part of parts.slice(1)) {
    text += separator + renumber(part.text, values.length);
    values.push(...part.values);
  }
  return fragment(text, values);
}

/**
 * Two writes as ONE statement, `first` as a data-modifying WITH of `then` (which must not have a WITH of its own):
 * PostgreSQL makes both or neither, in one round trip and without a transaction around them (BEGIN and COMMIT are
 * round trips of their own).
 */
export function together(first: SqlQuery, then: SqlQuery): SqlQuery {
  return sql`WITH first_write AS (${first})\n${then}`;
}

/** A table's or an index's name in a statement, quoted: for DDL, where PostgreSQL takes no parameters. */
export function sqlIdentifier(name: string): SqlQuery {
  return fragment(`"${name.replaceAll('"', '""')}"`, []);
}

/**
 * Statement text taken as it is. Only for text that is nobody's input: a definition PostgreSQL itself printed
 * (pg_get_indexdef), never anything with a value in it.
 */
export function trustedSqlText(text: string): SqlQuery {
  return fragment(text, []);
}
