import type pg from "pg";
import type { SqlClient, SqlQuery } from "@/server/sql";

/**
 * The app's SqlClient shape over one of the bench's own pg clients, so the bench can call the app's read functions
 * (projectionLags) on a connection whose CPU is counted as the bench's polling, not as the app's work.
 */
export function benchSqlClient(client: pg.Client): SqlClient {
  return {
    async rows<Row>(query: SqlQuery) {
      return (await client.query(query.text, query.values)).rows as Row[];
    },
    async count(query: SqlQuery) {
      return (await client.query(query.text, query.values)).rowCount ?? 0;
    },
  };
}
