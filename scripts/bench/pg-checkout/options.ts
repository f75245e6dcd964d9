import { BenchConfigError, integerOption as int } from "../lib/bench-env";
import { parseBenchArgs } from "../lib/bench-main";

export const DEFAULT_PG_CHECKOUT_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_pgbench";

const HELP = `Usage: npm run bench:pg-checkout -- [options]

A checkout as ONE PostgreSQL transaction (checkout insert, wallet debit with its ledger entry, order and outbox
insert, the stock row's update), run by pgbench on a migrated copy of the shop's schema: how many checkouts per second
this PostgreSQL can commit, and the ceiling of one product's stock row when every checkout updates the same one.

  --levels LIST         pgbench clients per level, default 1,4,16,32,64
  --duration S          measured seconds per level and case, default 15
  --cases LIST          spread (each checkout picks one of --products), hot (all on ONE product row), default spread,hot
  --products N          products the spread case picks from, default 50
  --customers N         customers with a wallet, default 10000
  --threads N           pgbench worker threads, default 2 (one per core of the development machine)
  --label TEXT          a note stored with the results
  --database-url URL    default ${DEFAULT_PG_CHECKOUT_DATABASE_URL} (emptied and migrated: its name must contain "bench")
  --max-connections N   refuse a level above this, default 70 (keep room for everyone else on max_connections)

Needs pgbench (Debian: postgresql-client; installed with apt-get when missing and run as root). Puts its figures
beside bench/results/latest-saga.json when there is one (npm run bench:saga, same machine).
`;

export type PgCheckoutCase = "spread" | "hot";

export type PgCheckoutOptions = {
  levels: number[];
  durationS: number;
  cases: PgCheckoutCase[];
  products: number;
  customers: number;
  threads: number;
  label: string | null;
  databaseUrl: string;
};

export function parsePgCheckoutOptions(): PgCheckoutOptions {
  const values = parseBenchArgs(HELP, {
    levels: { type: "string", default: "1,4,16,32,64" },
    duration: { type: "string", default: "15" },
    cases: { type: "string", default: "spread,hot" },
    products: { type: "string", default: "50" },
    customers: { type: "string", default: "10000" },
    threads: { type: "string", default: "2" },
    label: { type: "string" },
    "database-url": { type: "string", default: DEFAULT_PG_CHECKOUT_DATABASE_URL },
    "max-connections": { type: "string", default: "70" },
  });
  const maxConnections = int("max-connections", values["max-connections"], 1, 500);
  const levels = values.levels.split(",").map((level) => int("levels", level.trim(), 1, maxConnections));
  const cases = values.cases.split(",").map((name) => name.trim());
  for (const name of cases) {
    if (name !== "spread" && name !== "hot") throw new BenchConfigError(`--cases takes spread and/or hot, not "${name}"`);
  }
  return {
    levels,
    durationS: int("duration", values.duration, 1, 600),
    cases: cases as PgCheckoutCase[],
    products: int("products", values.products, 1, 100_000),
    customers: int("customers", values.customers, 1, 1_000_000),
    threads: int("threads", values.threads, 1, 64),
    label: values.label ?? null,
    databaseUrl: values["database-url"],
  };
}
