import { defineConfig } from "vitest/config";

// Two tiers, named by suffix next to the code they test:
//   *.unit.spec.ts — pure logic, no services
//   *.int.spec.ts  — real PostgreSQL and Redis, in databases the tests own (never the demo's)
// Override both to run two integration suites side by side (each recreates and flushes what it owns).
process.env.TEST_DATABASE_URL ??= "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_test";
process.env.TEST_REDIS_URL ??= "redis://127.0.0.1:6379/1";

const integrationEnv = {
  NODE_ENV: "test" as const,
  DATABASE_URL: process.env.TEST_DATABASE_URL,
  REDIS_URL: process.env.TEST_REDIS_URL,
  SHOP_MODE: "test",
  // Tests provoke failures on purpose; their logs would bury the report. LOG_LEVEL=debug npm run test:int to see them.
  LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  // The suite signs up, signs in wrongly and tops up far more than the production limits allow from one address;
  // server/limits/rate-limits.int.spec.ts sets its own small ones to see each limit trip.
  RATE_LIMIT_SIGN_IN_PER_ACCOUNT: "100000/15m",
  RATE_LIMIT_SIGN_IN_PER_IP: "100000/15m",
  RATE_LIMIT_SIGN_UP_PER_IP: "100000/1h",
  RATE_LIMIT_TOP_UP_PER_CUSTOMER: "100000/1h",
};

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["{server,app,workers,scripts,prisma}/**/*.unit.spec.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{server,app,workers,scripts,prisma}/**/*.int.spec.ts"],
          environment: "node",
          env: integrationEnv,
          globalSetup: ["server/testing/integration-global-setup.ts"],
          // The files share one database; running them one at a time keeps each test's view of it its own.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
