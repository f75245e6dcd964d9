import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv, topUpDailyLimitCents } from "./env";

describe("parseEnv", () => {
  it("runs on one Redis unless REDIS_CLUSTER_NODES names a cluster's nodes", () => {
    expect(parseEnv({}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv({ REDIS_CLUSTER_NODES: "" }).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv({ REDIS_CLUSTER_NODES: "127.0.0.1:7001, redis-b.internal:7002,[::1]:7003" }).REDIS_CLUSTER_NODES).toEqual([
      { host: "127.0.0.1", port: 7001 },
      { host: "redis-b.internal", port: 7002 },
      { host: "::1", port: 7003 },
    ]);
  });

  it("says what is wrong with a cluster node that is not host:port", () => {
    for (const bad of ["127.0.0.1", "redis://127.0.0.1:7001", "127.0.0.1:7001,", "a:99999", "a:b"]) {
      expect(() => parseEnv({ REDIS_CLUSTER_NODES: bad })).toThrow(/REDIS_CLUSTER_NODES must be host:port,host:port/);
    }
  });

  it("refuses REDIS_URL and REDIS_CLUSTER_NODES together, unless REDIS_URL is the local default (.env.local)", () => {
    expect(() => parseEnv({ REDIS_CLUSTER_NODES: "127.0.0.1:7001", REDIS_URL: "redis://cache:6379" })).toThrow(/not both/);
    expect(parseEnv({ REDIS_CLUSTER_NODES: "127.0.0.1:7001", REDIS_URL: "redis://127.0.0.1:6379/0" }).REDIS_CLUSTER_NODES).toHaveLength(1);
  });

  it("needs no REDIS_URL in production when a cluster is given", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://shop@db:5432/shop",
      REDIS_CLUSTER_NODES: "10.0.0.1:6379,10.0.0.2:6379",
      APP_URL: "https://unicorns.example",
    });
    expect(env.REDIS_CLUSTER_NODES).toHaveLength(2);
  });

  it("points at the local services when nothing is configured outside production", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.*@127\.0\.0\.1:5432\/unicorn_retail$/);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379/0");
    expect(env.NODE_ENV).toBe("development");
  });

  it("refuses to start in production without the variables, naming each one", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(InvalidEnvironmentError);
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (error) {
      const problems = (error as InvalidEnvironmentError).problems;
      expect(problems).toEqual(["DATABASE_URL is required", "REDIS_URL is required", "APP_URL is required"]);
    }
  });

  it("has no metrics token unless one is set, and refuses a short one", () => {
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_TOKEN: "0123456789abcdef" }).METRICS_TOKEN).toBe("0123456789abcdef");
    expect(() => parseEnv({ METRICS_TOKEN: "secret" })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it("leaves the saga queue's partitions to the topology's default unless set, and refuses a count out of 1..32", () => {
    expect(parseEnv({}).SAGA_QUEUE_PARTITIONS).toBeUndefined();
    expect(parseEnv({ SAGA_QUEUE_PARTITIONS: "3" }).SAGA_QUEUE_PARTITIONS).toBe(3);
    expect(() => parseEnv({ SAGA_QUEUE_PARTITIONS: "0" })).toThrow(/SAGA_QUEUE_PARTITIONS must be at least 1/);
    expect(() => parseEnv({ SAGA_QUEUE_PARTITIONS: "33" })).toThrow(/SAGA_QUEUE_PARTITIONS must be at most 32/);
    expect(() => parseEnv({ SAGA_QUEUE_PARTITIONS: "1.5" })).toThrow(/SAGA_QUEUE_PARTITIONS must be a whole number from 1 to 32/);
    expect(() => parseEnv({ SAGA_QUEUE_PARTITIONS: "three" })).toThrow(/SAGA_QUEUE_PARTITIONS must be a whole number from 1 to 32/);
  });

  it("treats an empty variable as missing", () => {
    expect(() =>
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "", REDIS_URL: "redis://r" }),
    ).toThrow(/DATABASE_URL is required/);
  });

  it("says what is wrong with an invalid value", () => {
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: "mysql://db/shop",
        REDIS_URL: "http://r",
      }),
    ).toThrow(/DATABASE_URL must be a postgresql:\/\/ connection URL[\s\S]*REDIS_URL must be a redis:\/\/ URL/);
  });

  it("accepts a complete production environment", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://shop@db:5432/shop",
      REDIS_URL: "rediss://cache:6380",
      APP_URL: "https://unicorns.example",
      DATABASE_POOL_SIZE: "8",
    });
    expect(env.DATABASE_POOL_SIZE).toBe(8);
    expect(env.APP_URL).toBe("https://unicorns.example");
  });

  it("bounds every Redis call by default: 2 s to connect, 5 s for a reply", () => {
    const env = parseEnv({});
    expect(env.REDIS_CONNECT_TIMEOUT_MS).toBe(2_000);
    expect(env.REDIS_COMMAND_TIMEOUT_MS).toBe(5_000);
    expect(parseEnv({ REDIS_CONNECT_TIMEOUT_MS: "750", REDIS_COMMAND_TIMEOUT_MS: "1500" })).toMatchObject({
      REDIS_CONNECT_TIMEOUT_MS: 750,
      REDIS_COMMAND_TIMEOUT_MS: 1_500,
    });
  });

  it("refuses a Redis timeout that is not a number of milliseconds, or none at all", () => {
    expect(() => parseEnv({ REDIS_COMMAND_TIMEOUT_MS: "soon" })).toThrow(/REDIS_COMMAND_TIMEOUT_MS/);
    // 0 would mean "no timeout" to ioredis: exactly the hang the setting exists to prevent.
    expect(() => parseEnv({ REDIS_CONNECT_TIMEOUT_MS: "0" })).toThrow(/REDIS_CONNECT_TIMEOUT_MS/);
    expect(() => parseEnv({ REDIS_COMMAND_TIMEOUT_MS: "2.5" })).toThrow(/REDIS_COMMAND_TIMEOUT_MS/);
  });

  it("reads each rate limit as <count>/<window>, with the production defaults, and trusts no proxy by default", () => {
    const env = parseEnv({});
    expect(env.RATE_LIMIT_SIGN_IN_PER_ACCOUNT).toEqual({ points: 10, windowSeconds: 900 });
    expect(env.RATE_LIMIT_SIGN_IN_PER_IP).toEqual({ points: 50, windowSeconds: 900 });
    expect(env.RATE_LIMIT_SIGN_UP_PER_IP).toEqual({ points: 10, windowSeconds: 3_600 });
    expect(env.RATE_LIMIT_TOP_UP_PER_CUSTOMER).toEqual({ points: 30, windowSeconds: 3_600 });
    expect(env.TRUSTED_PROXY_HOPS).toBe(0);
    expect(parseEnv({ RATE_LIMIT_SIGN_UP_PER_IP: "3/45s" }).RATE_LIMIT_SIGN_UP_PER_IP).toEqual({ points: 3, windowSeconds: 45 });
    for (const bad of ["10", "10/15", "ten/15m", "0/1h", "5/0m", "10 / 15m"]) {
      expect(() => parseEnv({ RATE_LIMIT_SIGN_IN_PER_IP: bad }), bad).toThrow(/RATE_LIMIT_SIGN_IN_PER_IP/);
    }
  });

  describe("APP_URL in production", () => {
    const production = { NODE_ENV: "production", DATABASE_URL: "postgresql://shop@db:5432/shop", REDIS_URL: "redis://cache:6379" };

    it("is required: nothing defaults to a local http address", () => {
      expect(() => parseEnv(production)).toThrow(/APP_URL is required/);
    });

    it("must be https unless plain http is allowed explicitly", () => {
      expect(() => parseEnv({ ...production, APP_URL: "http://shop.example" })).toThrow(/APP_URL must be https:\/\/ in production/);
      expect(() => parseEnv({ ...production, APP_URL: "http://127.0.0.1:3100", ALLOW_HTTP_APP_URL: "false" })).toThrow(/APP_URL must be https/);
      const allowed = parseEnv({ ...production, APP_URL: "http://127.0.0.1:3100", ALLOW_HTTP_APP_URL: "true" });
      expect(allowed).toMatchObject({ APP_URL: "http://127.0.0.1:3100", ALLOW_HTTP_APP_URL: true });
    });

    it("must be a web address", () => {
      expect(() => parseEnv({ ...production, APP_URL: "ftp://shop.example" })).toThrow(/APP_URL must be an http\(s\) URL/);
      expect(() => parseEnv({ ...production, APP_URL: "shop.example" })).toThrow(/APP_URL must be an http\(s\) URL/);
      expect(() => parseEnv({ ...production, APP_URL: "https://shop.example", ALLOW_HTTP_APP_URL: "perhaps" })).toThrow(/ALLOW_HTTP_APP_URL must be true or false/);
    });

    it("defaults to the local demo's address outside production", () => {
      expect(parseEnv({}).APP_URL).toBe("http://localhost:3000");
      expect(parseEnv({ NODE_ENV: "test", APP_URL: "http://127.0.0.1:3100" }).APP_URL).toBe("http://127.0.0.1:3100");
    });
  });

  it("reads request bodies up to 64 kB unless told otherwise, and never without a bound", () => {
    expect(parseEnv({}).REQUEST_BODY_LIMIT_BYTES).toBe(65_536);
    expect(parseEnv({ REQUEST_BODY_LIMIT_BYTES: "2048" }).REQUEST_BODY_LIMIT_BYTES).toBe(2_048);
    expect(() => parseEnv({ REQUEST_BODY_LIMIT_BYTES: "0" })).toThrow(/REQUEST_BODY_LIMIT_BYTES/);
    expect(() => parseEnv({ REQUEST_BODY_LIMIT_BYTES: "lots" })).toThrow(/REQUEST_BODY_LIMIT_BYTES/);
  });

  it("lets `next build` run without production secrets", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });
});

describe("topUpDailyLimitCents", () => {
  it("caps top-ups at $5,000.00 a day unless told otherwise, in normal and demo mode alike", () => {
    expect(topUpDailyLimitCents(parseEnv({}))).toBe(500_000);
    expect(topUpDailyLimitCents(parseEnv({ SHOP_MODE: "demo" }))).toBe(500_000);
    expect(topUpDailyLimitCents(parseEnv({ TOP_UP_DAILY_LIMIT_CENTS: "20000" }))).toBe(20_000);
  });

  it("lifts the cap in test mode, unless it is set", () => {
    expect(topUpDailyLimitCents(parseEnv({ SHOP_MODE: "test" }))).toBeNull();
    expect(topUpDailyLimitCents(parseEnv({ SHOP_MODE: "test", TOP_UP_DAILY_LIMIT_CENTS: "500000" }))).toBe(500_000);
  });

  it("refuses a cap that is not a number of cents between $1.00 and $100,000.00", () => {
    for (const value of ["0", "-5", "5.5", "lots", "10000001"]) {
      expect(() => parseEnv({ TOP_UP_DAILY_LIMIT_CENTS: value })).toThrow(/TOP_UP_DAILY_LIMIT_CENTS/);
    }
  });
});
