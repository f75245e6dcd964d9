import { z } from "zod";

/**
 * The shop's configuration, validated once when a process boots.
 *
 * Outside production every variable has a default pointing at the local services, so the demo and the tests run with
 * no configuration. In production a missing or invalid variable stops the process with a message naming it: a bad
 * deployment should fail at boot, not deep inside a customer's request.
 */
const LOCAL_DEFAULTS = {
  DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail",
  REDIS_URL: "redis://127.0.0.1:6379/0",
  APP_URL: "http://localhost:3000",
} as const;

/** `host:port` of one Redis Cluster node: an IPv4 address or a host name, or an IPv6 address in brackets. */
const CLUSTER_NODE = /^(?<host>[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):(?<port>\d{1,5})$/;

/** `127.0.0.1:7001,127.0.0.1:7002`: where ioredis' Cluster client starts (it learns the other nodes from them). */
const clusterNodes = z
  .string()
  .transform((text, context) => {
    const nodes: { host: string; port: number }[] = [];
    for (const part of text.split(",").map((item) => item.trim())) {
      const match = CLUSTER_NODE.exec(part);
      const port = Number(match?.groups?.port);
      if (!match || port < 1 || port > 65_535) {
        context.addIssue({ code: "custom", message: `must be host:port,host:port,… (got "${part}")` });
        return z.NEVER;
      }
      nodes.push({ host: match.groups!.host!.replace(/^\[|\]$/g, ""), port });
    }
    return nodes;
  });

/** `10/15m`: at most 10 attempts in a window of 15 minutes (`s`, `m` or `h`). */
const rateLimit = z
  .string()
  .regex(/^\d{1,9}\/\d{1,6}[smh]$/, "must be <count>/<window>, e.g. 10/15m (window in s, m or h)")
  .transform((text) => {
    const [count, window] = text.split("/") as [string, string];
    const unitSeconds = { s: 1, m: 60, h: 3_600 }[window.slice(-1) as "s" | "m" | "h"];
    return { points: Number(count), windowSeconds: Number(window.slice(0, -1)) * unitSeconds };
  })
  .refine((limit) => limit.points >= 1 && limit.windowSeconds >= 1, "must allow at least 1 attempt in at least 1 s");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string({ error: "is required" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL"),
  /** Connections per process. All processes together must stay under PostgreSQL's max_connections (100 here). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(40).default(5),
  /** How long a request waits for a connection (from the pool, or a new one) before it is told to try again. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** The longest one statement may run (PostgreSQL's statement_timeout); long maintenance raises it for itself. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** The longest a statement waits for a row lock (lock_timeout): a stuck lock holder cannot queue the shop behind it. */
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** A transaction left idle this long is ended by PostgreSQL (idle_in_transaction_session_timeout), locks and all. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** One Redis (the default). Not used when REDIS_CLUSTER_NODES is set: then it must be unset or the local default. */
  REDIS_URL: z.string({ error: "is required" }).regex(/^rediss?:\/\//, "must be a redis:// URL"),
  /**
   * A Redis Cluster instead of one Redis: a few of its nodes, `host:port,…` (server/queues/connections.ts makes every
   * connection an ioredis Cluster then). Unset: one Redis at REDIS_URL.
   */
  REDIS_CLUSTER_NODES: clusterNodes.optional(),
  /**
   * How long opening a Redis connection may take (every connection: producers, the live-changes subscriber, workers),
   * and how long a producer call waits for its connection to be (re)connected before it fails.
   */
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /**
   * How long a short Redis command (adding a job, PUBLISH, SUBSCRIBE, the admin's queue counts) waits for its reply.
   * Never applied to the workers' connections: their blocking fetch waits on purpose (see server/queues/connections.ts).
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * The address people use to reach the shop: session cookies are `Secure` and HSTS is sent when it is https, and a
   * browser's mutation must come from its origin (server/http/front-door.ts). Required in production, and https there
   * unless ALLOW_HTTP_APP_URL says otherwise.
   */
  APP_URL: z.url({
    protocol: /^https?$/,
    error: (issue) => (issue.input === undefined ? "is required" : "must be an http(s) URL such as https://shop.example"),
  }),
  /** Lets a production server be reached over plain http (the e2e suite, benches and chaos run on 127.0.0.1). */
  ALLOW_HTTP_APP_URL: z.stringbool({ error: "must be true or false" }).default(false),
  /** The largest request body the web server reads; a larger one is answered 413 before it is parsed. */
  REQUEST_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(10_485_760).default(65_536),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `demo` and `test` allow fault injection and the admin's flash-sale simulator; `normal` allows neither. */
  SHOP_MODE: z.enum(["normal", "demo", "test"]).default("normal"),
  /**
   * The most one customer may top up in any 24 hours, in cents (so that bots cannot fund themselves without end).
   * Unset: $5,000.00, except in SHOP_MODE=test, where the tests' shoppers are not capped (see topUpDailyLimitCents).
   */
  TOP_UP_DAILY_LIMIT_CENTS: z.coerce.number().int().min(100).max(10_000_000).optional(),
  /** How long reserved unicorns wait for payment before the reservation expires and they go back on sale. */
  RESERVATION_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** A saga job not run this long after it was scheduled is scheduled again by the recovery sweep. */
  SAGA_RECOVER_AFTER_MS: z.coerce.number().int().min(100).default(15_000),
  SAGA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
  /**
   * How many queues the saga steps are spread over (`saga-steps`, `saga-steps-1`, …), each saga always on the one of its
   * id. Unset: the topology's default, 1 on one Redis, one per master on a Redis Cluster (asked of the cluster as each
   * process starts: server/queues/saga-queue-partitions.ts). The web process and every worker must agree, so pin it on
   * a cluster that may gain masters while the shop runs.
   */
  SAGA_QUEUE_PARTITIONS: z.coerce
    .number({ error: "must be a whole number from 1 to 32" })
    .int("must be a whole number from 1 to 32")
    .min(1, "must be at least 1")
    .max(32, "must be at most 32")
    .optional(),
  OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
  /**
   * How long a checkout waits for Loyalty's reply to redeeming (or giving back) its points: no reply by then and the
   * checkout is undone, its points given back (a restore is sent again after each such wait).
   */
  POINTS_REPLY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Saga step jobs one checkout worker process runs at once. */
  CHECKOUT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(48),
  /** Most step jobs one transaction runs together (under load; an idle worker runs each job as it comes). */
  CHECKOUT_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(12),
  /** Batches of step jobs one checkout worker process runs at once, each on its own database connection. */
  CHECKOUT_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(20).default(4),
  /**
   * BullMQ's job lock: a worker that dies mid-job holds its job this long before another worker takes it over
   * (its stalled-job check runs at the same interval).
   */
  QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How long a lot of loyalty points stays spendable after it is earned. */
  LOYALTY_LOT_LIFETIME_DAYS: z.coerce.number().int().min(1).max(3_650).default(365),
  /** PurchaseCompleted messages one loyalty worker process handles at once. */
  LOYALTY_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  /** Checkout points commands (redeem, restore) one loyalty worker process handles at once. */
  LOYALTY_COMMAND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  /** How often the loyalty worker brings the projections up to date, and looks for lots whose expiry has come. */
  LOYALTY_PROJECTION_INTERVAL_MS: z.coerce.number().int().min(10).default(200),
  LOYALTY_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /** How often a loyalty worker checks Retail's purchase feed for purchases Loyalty never recorded. */
  LOYALTY_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How old a purchase must be before the reconciler takes it over from the queue. */
  LOYALTY_RECONCILE_SETTLE_MS: z.coerce.number().int().min(0).default(120_000),
  /** How often the checkout workers (one at a time) check every Retail invariant (server/retail/invariants). */
  INVARIANT_AUDIT_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  /**
   * How many attempts each rate limit allows per window (server/limits), as `<count>/<window>` with the window in
   * seconds, minutes or hours: `10/15m`. Sign-ins count failures only; sign-ups and top-ups count every attempt.
   */
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: rateLimit.prefault("10/15m"),
  RATE_LIMIT_SIGN_IN_PER_IP: rateLimit.prefault("50/15m"),
  RATE_LIMIT_SIGN_UP_PER_IP: rateLimit.prefault("10/1h"),
  RATE_LIMIT_TOP_UP_PER_CUSTOMER: rateLimit.prefault("30/1h"),
  /**
   * How many proxies of ours stand in front of the web server, each appending the address it saw to X-Forwarded-For.
   * 0 (no proxy): the client is the socket's peer and the header is ignored, since anyone can send it.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * The bearer token Prometheus (or any tool of the operators') sends for GET /api/metrics (server/metrics). Unset:
   * there is no metrics endpoint (404). Long and random, e.g. `openssl rand -hex 32`.
   */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (e.g. openssl rand -hex 32)").optional(),
  /** How often each process adds what it counted (request and step durations, saga ends) to the totals in Redis. */
  METRICS_PUBLISH_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

export type Env = z.infer<typeof envSchema>;

/** The default cap on one customer's top-ups in 24 hours: $5,000.00. */
export const DEFAULT_TOP_UP_DAILY_LIMIT_CENTS = 500_000;

/**
 * The cap on one customer's top-ups in 24 hours, or null for none: TOP_UP_DAILY_LIMIT_CENTS when set, else the
 * default — lifted only in SHOP_MODE=test (the integration and e2e tests fund their shoppers freely; the demo and
 * the benchmarks run with the production default).
 */
export function topUpDailyLimitCents(config: Pick<Env, "SHOP_MODE" | "TOP_UP_DAILY_LIMIT_CENTS">): number | null {
  if (config.TOP_UP_DAILY_LIMIT_CENTS !== undefined) return config.TOP_UP_DAILY_LIMIT_CENTS;
  return config.SHOP_MODE === "test" ? null : DEFAULT_TOP_UP_DAILY_LIMIT_CENTS;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InvalidEnvironmentError";
  }
}

/** Parses a raw environment. Exported for tests; the app uses `env`. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // `next build` runs with NODE_ENV=production but needs no secrets: only a running production server is strict.
  const strict = raw.NODE_ENV === "production" && raw.NEXT_PHASE !== "phase-production-build";
  const input = withRedisTopology(strict ? raw : { ...LOCAL_DEFAULTS, ...withoutEmpty(raw) });
  const result = envSchema.safeParse(strict ? withoutEmpty(input) : input);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    );
  }
  // Over plain http the session cookie cannot be Secure and anyone on the way can read it.
  if (strict && !result.data.ALLOW_HTTP_APP_URL && !result.data.APP_URL.startsWith("https://")) {
    throw new InvalidEnvironmentError([
      "APP_URL must be https:// in production (set ALLOW_HTTP_APP_URL=true to serve over plain http, e.g. on 127.0.0.1 in tests)",
    ]);
  }
  return result.data;
}

/**
 * REDIS_URL and REDIS_CLUSTER_NODES name two different Redis deployments: a process given both would not say which
 * holds the jobs, so both set (REDIS_URL to anything but the local default, which .env.local writes) is refused.
 * With a cluster, REDIS_URL is not needed, not even in production.
 */
function withRedisTopology(input: Record<string, string | undefined>): Record<string, string | undefined> {
  if (!input.REDIS_CLUSTER_NODES) return input;
  if (input.REDIS_URL && input.REDIS_URL !== LOCAL_DEFAULTS.REDIS_URL) {
    throw new InvalidEnvironmentError([
      "REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_CLUSTER_NODES for a Redis Cluster or REDIS_URL for one Redis, not both",
    ]);
  }
  return { ...input, REDIS_URL: LOCAL_DEFAULTS.REDIS_URL };
}

function withoutEmpty(raw: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ""));
}

/**
 * The environment of this process, read when it boots (the web server, each worker, each script): an invalid one
 * stops the process with its problems listed, not a stack trace. Under vitest it throws, for the test to see.
 */
export const env: Env = parseEnvOrExit(process.env);

function parseEnvOrExit(raw: Record<string, string | undefined>): Env {
  try {
    return parseEnv(raw);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError) || raw.VITEST !== undefined) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
