import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { transportErrorFor } from "@/server/api/error-mapping";
import { disconnectDb } from "@/server/db";
import { sql, sqlPool } from "@/server/sql";
import { startChild } from "@/server/testing/child-process";
import { integrationServices } from "@/server/testing/test-databases";

/**
 * PostgreSQL ending a connection that a transaction holds (what a restart or a failover does to every backend: 57P01)
 * used to kill the process with an unhandled 'error' event, between two statements or during one. Now the unit of
 * work fails with the server's reason, the pool replaces the connection, and the process carries on.
 */
const SCRIPT = path.join(process.cwd(), "server/testing/scripts/lose-connection-mid-transaction.ts");

afterAll(disconnectDb);

async function loseConnection(mode: "between-statements" | "in-statement") {
  const lines: string[] = [];
  const child = startChild({
    name: `lose-connection-${mode}`,
    command: path.join(process.cwd(), "node_modules/.bin/tsx"),
    args: [SCRIPT, mode],
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: integrationServices().databaseUrl, LOG_LEVEL: "silent" },
    onLine: (line) => lines.push(line),
  });
  await child.waitForOutput(/ready/, 20_000);
  // The statement of `in-statement` has to be running before its backend is ended.
  if (mode === "in-statement") await new Promise((resolve) => setTimeout(resolve, 300));
  const ended = await sqlPool.rows<{ ended: boolean }>(sql`
    SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'lose-me'`);
  const status = await child.exited;
  return { ended, status, lines };
}

describe("a transaction whose connection PostgreSQL ends", () => {
  it.each(["between-statements", "in-statement"] as const)("fails %s, and the process and its pool carry on", { timeout: 60_000 }, async (mode) => {
    const { ended, status, lines } = await loseConnection(mode);

    expect(ended).toEqual([{ ended: true }]);
    expect(status, lines.join("\n")).toEqual({ code: 0, signal: null });
    // During a statement PostgreSQL says why (57P01); between two, the next statement finds the connection gone.
    expect(lines).toContainEqual(expect.stringMatching(/^failed: (57P01|Client has encountered a connection error and is not queryable)$/));
    expect(lines).toContain("pool works: true");
  });
});

describe("the API's answer while the database is away", () => {
  it("is a 503 that says to try again, not a 500", () => {
    const restart = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const wrapped = new Error("driver adapter error", { cause: restart });

    for (const error of [restart, refused, wrapped]) {
      const answer = transportErrorFor(error);
      expect(answer).toBeInstanceOf(TRPCError);
      expect(answer).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/try again/) });
    }
    expect(transportErrorFor(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBeUndefined();
  });
});
