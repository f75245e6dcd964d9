import { BenchConfigError } from "../lib/bench-env";
import { parseBenchArgs } from "../lib/bench-main";

const DEFAULT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_bench_admin";

const HELP = `Usage: npm run bench:admin -- [options]

  --sagas N             sagas (and their checkouts) in the table, at least 1000, default 1000000
  --database-url URL    a unicorn_retail_bench* database (dropped and recreated), default ${DEFAULT_DATABASE_URL}
`;

/** The bar for every search: the median of five runs, with a million sagas. */
export const SEARCH_BUDGET_MS = 20;

export type AdminMonitorOptions = { sagas: number; databaseUrl: string };

/** The admin bench's command line, checked: enough sagas, and a database it may drop. */
export function parseAdminMonitorOptions(): AdminMonitorOptions {
  const values = parseBenchArgs(HELP, {
    sagas: { type: "string", default: "1000000" },
    "database-url": { type: "string", default: DEFAULT_DATABASE_URL },
  });
  const sagas = Number(values.sagas);
  const databaseUrl = values["database-url"];
  if (!Number.isSafeInteger(sagas) || sagas < 1_000) throw new BenchConfigError("--sagas must be a whole number, at least 1,000");
  if (!/\/unicorn_retail_bench[a-z_]*$/.test(databaseUrl)) {
    throw new BenchConfigError("--database-url must name a unicorn_retail_bench* database: it is dropped and recreated");
  }
  return { sagas, databaseUrl };
}
