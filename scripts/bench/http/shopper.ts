import type http from "node:http";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { DEMO_CUSTOMERS } from "@/prisma/seed/demo-data";
import { isFinished, type SagaStatus } from "@/server/saga/saga-status";
import { exitIfAnyDies, startBenchChild, stopChildren } from "../lib/bench-children";
import { childEnv, workerCommand, type AppEnv } from "../lib/bench-env";
import { describeChildren, WORKER_STARTED } from "../lib/bench-workers";
import { describeFailure, request, trpcData, trpcQueryPath } from "../lib/http-client";

/**
 * The signed-in shopper of the HTTP bench: a demo customer who signs in through `auth.signIn` as the sign-in form does,
 * with a checkout of their own that completed (for checkout.status) and their points projected (for /points).
 */

/** A demo customer with points that expire soon (the points page has something to show) and $90.00 to spend. */
const SHOPPER_EMAIL = "pat@unicorn.test";
/** What the shopper buys before the measurements ($19.99): a completed checkout for checkout.status to show. */
const PURCHASE_SLUG = "pocket-unicorn";
const TIMEOUT_MS = 60_000;

export type Shopper = { email: string; cookie: string; checkoutId: string };

type Server = { agent: http.Agent; port: number };

/**
 * Signs the shopper in over HTTP and buys one unicorn through the API, with the checkout and loyalty workers running
 * until the checkout completed and the points projections caught up; then stops the workers (nothing measured needs
 * them: a sold-out checkout.start schedules no job).
 */
export async function prepareShopper(server: Server, workers: { appDir: string; env: AppEnv; logDir: string }): Promise<Shopper> {
  const children = ["worker:checkout", "worker:loyalty"].map((script) => {
    const command = workerCommand(workers.appDir, script);
    const name = script.replace("worker:", "") + "-worker";
    return startBenchChild({
      name,
      command: command.command,
      args: command.args,
      cwd: workers.appDir,
      env: childEnv({ ...workers.env, LOG_LEVEL: "info" }),
      logFile: path.join(workers.logDir, `${name}.log`),
    });
  });
  await Promise.all(children.map((child) => child.waitForOutput(WORKER_STARTED, TIMEOUT_MS)));
  const stoppingOnPurpose = exitIfAnyDies(children);
  console.log(`  workers: ${describeChildren(children)}`);

  const demo = DEMO_CUSTOMERS.find((customer) => customer.email === SHOPPER_EMAIL);
  if (!demo) throw new Error(`${SHOPPER_EMAIL} is no longer a demo customer (prisma/seed/demo-data.ts)`);
  const cookie = await signIn(server, demo.email, demo.password);
  console.log(`  ✓ ${demo.email} signed in through auth.signIn`);
  const checkoutId = await buyOne(server, cookie);
  console.log(`  ✓ checkout ${checkoutId} of one ${PURCHASE_SLUG} completed`);
  await waitForPoints(server, cookie);
  console.log("  ✓ the shopper's points are projected");

  stoppingOnPurpose();
  await stopChildren(children);
  return { email: demo.email, cookie, checkoutId };
}

/** `auth.signIn` as the form sends it; returns the session cookie (name=value) the server set. */
async function signIn(server: Server, email: string, password: string): Promise<string> {
  const answer = await request({
    ...server,
    method: "POST",
    path: "/api/trpc/auth.signIn",
    body: { json: { email, password } },
    timeoutMs: TIMEOUT_MS,
  });
  const setCookie = "headers" in answer ? answer.headers["set-cookie"] : undefined;
  const cookie = setCookie?.map((line) => line.split(";")[0] ?? "").find((pair) => pair.startsWith("unicorn_session="));
  if (answer.status !== 200 || !cookie) throw new Error(`Signing in as ${email} failed: ${describeFailure(answer)}`);
  return cookie;
}

/** Starts a checkout through the API and follows its status until it is final; it must complete. */
async function buyOne(server: Server, cookie: string): Promise<string> {
  const started = await request({
    ...server,
    method: "POST",
    path: "/api/trpc/checkout.start",
    cookie,
    body: { json: { productSlug: PURCHASE_SLUG, quantity: 1, idempotencyKey: randomUUID() } },
    timeoutMs: TIMEOUT_MS,
  });
  const checkoutId = "body" in started ? trpcData<{ checkoutId: string }>(started.body)?.checkoutId : undefined;
  if (started.status !== 200 || !checkoutId) throw new Error(`checkout.start failed: ${describeFailure(started)}`);
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    const polled = await request({ ...server, method: "GET", path: trpcQueryPath("checkout.status", { checkoutId }), cookie, timeoutMs: TIMEOUT_MS });
    const status = "body" in polled ? trpcData<{ status: SagaStatus; failureReason?: string }>(polled.body) : undefined;
    if (status && isFinished(status.status)) {
      if (status.status !== "completed") throw new Error(`The shopper's checkout ended ${status.status}: ${status.failureReason ?? ""}`);
      return checkoutId;
    }
    await sleep(100);
  }
  throw new Error(`The shopper's checkout ${checkoutId} did not finish within ${TIMEOUT_MS / 1000} s`);
}

/** Until loyalty.summary says that the projections trail the log by nothing and show the shopper's points. */
async function waitForPoints(server: Server, cookie: string): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    const answer = await request({ ...server, method: "GET", path: "/api/trpc/loyalty.summary", cookie, timeoutMs: TIMEOUT_MS });
    const summary = "body" in answer ? trpcData<{ availablePoints: number; lag: { pendingEvents: number } }>(answer.body) : undefined;
    if (summary && summary.lag.pendingEvents === 0 && summary.availablePoints > 0) return;
    await sleep(200);
  }
  throw new Error(`The shopper's points were not projected within ${TIMEOUT_MS / 1000} s`);
}

/** Sold out: nothing available (on_hand = reserved, so that the CHECKs hold whatever is reserved). */
export async function sellOut(admin: pg.Client, slug: string): Promise<void> {
  const { rowCount } = await admin.query(
    "UPDATE inventory SET on_hand = reserved WHERE product_id = (SELECT id FROM products WHERE slug = $1)",
    [slug],
  );
  if (rowCount !== 1) throw new Error(`No stock row for ${slug}`);
}
