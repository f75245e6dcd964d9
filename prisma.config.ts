import { defineConfig } from "prisma/config";

// Used only by the Prisma CLI (generate, and migrate when authoring migrations).
// The shop itself applies migrations with scripts/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_shadow",
  },
});
