import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

await vi.hoisted(async () => {
  const { useCheckoutTestTimings } = await import("@/server/testing/checkout-workers");
  useCheckoutTestTimings();
});

import { shopRequestListener } from "@/server/http/shop-server";
import { CHECKOUT_SAGA_TYPE } from "@/server/retail/checkout/checkout-saga";
import { reserveStockStepId } from "@/server/retail/checkout/checkout-steps";
import { fundedCustomer, startAcceptedCheckout, waitForCheckout, waitUntil } from "@/server/testing/checkout-flow";
import { closeCheckoutSuite, openCheckoutSuite } from "@/server/testing/checkout-suite";
import { startChild } from "@/server/testing/child-process";
import { describeLogs, startCheckoutWorker, type CheckoutWorker } from "@/server/testing/checkout-workers";
import { createTestProduct } from "@/server/testing/database";

/**
 * GET /api/metrics at the web server's real door (the shop's request listener, Next played by a stand-in that answers
 * 404 for what it does not know, as Next does), with a real checkout worker process publishing its figures to Redis.
 */
const TOKEN = "test-metrics-token-0123456789abcdef";
const APP_URL = "http://shop.test:3000";
let nextSaw: string[] = [];

function door(metricsToken?: string) {
  return http.createServer(
    shopRequestListener({
      appUrl: APP_URL,
      bodyLimitBytes: 65_536,
      metricsToken,
      renderWithNext: async (req, res) => {
        nextSaw.push(req.url ?? "");
        const known = req.url?.startsWith("/products/");
        res.writeHead(known ? 200 : 404, { "content-type": "text/plain" });
        res.end(known ? "a product page" : "This page could not be found.");
      },
    }),
  );
}

const withToken = door(TOKEN);
const withoutToken = door();
let worker: CheckoutWorker;

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let origin = "";
let originWithoutToken = "";

beforeAll(async () => {
  await openCheckoutSuite();
  [origin, originWithoutToken] = await Promise.all([listen(withToken), listen(withoutToken)]);
  // Publishing often, so that the test need not wait the production 5 s for the worker's figures.
  worker = await startCheckoutWorker({ name: "metrics", env: { METRICS_PUBLISH_INTERVAL_MS: "200" } });
}, 60_000);

afterAll(async () => {
  await Promise.all([withToken, withoutToken].map((server) => new Promise((resolve) => server.close(resolve))));
  await closeCheckoutSuite();
});

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, at = origin) => fetch(`${at}/api/metrics`, { headers });

async function figures(): Promise<string> {
  const response = await scrape();
  expect(response.status).toBe(200);
  return response.text();
}

/** One sample's value in the text format (0 when the series is not there yet). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels);
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    if (wanted.every(([key, value]) => has[key] === value)) return Number(match[3]);
  }
  return 0;
}

describe("GET /api/metrics", () => {
  it("does not exist without METRICS_TOKEN: Next answers it, with its 404", async () => {
    nextSaw = [];
    const response = await scrape({ authorization: `Bearer ${TOKEN}` }, originWithoutToken);
    expect(response.status).toBe(404);
    expect(nextSaw).toEqual(["/api/metrics"]);
  });

  it.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Bearer not-the-token-at-all-0123456789" }],
    ["the token one character short", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ["the token as Basic credentials", { authorization: `Basic ${TOKEN}` }],
  ])("answers 401 to %s, with WWW-Authenticate and no details", async (_, headers: Record<string, string>) => {
    const response = await scrape(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(await response.text()).toBe("Unauthorized");
  });

  it("answers the right token in Prometheus' text format, every source up", async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain("# TYPE unicorn_sagas gauge");
    expect(sample(text, "unicorn_metrics_source_up", { source: "postgres" })).toBe(1);
    expect(sample(text, "unicorn_metrics_source_up", { source: "redis" })).toBe(1);
    expect(text).toMatch(/^unicorn_sagas\{saga_type="checkout",status="needs_attention"\} 0$/m);
    expect(text).toMatch(/^unicorn_queue_jobs\{queue="saga-steps",state="waiting"\} \d+$/m);
    expect(text).toMatch(/^unicorn_outbox_unsent_messages \d+$/m);
    expect(text).toMatch(/^unicorn_loyalty_projection_lag_events\{projection="point-history"\} \d+$/m);
  });

  it("counts a checkout saga that completes: started, ended completed, and its steps' durations", { timeout: 60_000 }, async () => {
    const step = { saga_type: CHECKOUT_SAGA_TYPE, step: reserveStockStepId, phase: "action" };
    const before = await figures();
    const product = await createTestProduct({ slug: "metrics-unicorn", onHand: 3, salePriceCents: 4_000 });
    const shopper = await fundedCustomer(10_000, "Metrics Shopper");
    const checkoutId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug });
    expect((await waitForCheckout(shopper.client, checkoutId)).status, describeLogs([worker])).toBe("completed");

    // The worker publishes every 200 ms: its figures arrive within a few scrapes.
    const completed = (text: string) => sample(text, "unicorn_sagas_ended_total", { saga_type: CHECKOUT_SAGA_TYPE, status: "completed" });
    const after = await waitUntil(
      "the completed saga in the metrics",
      async () => {
        const text = await figures();
        return completed(text) > completed(before) && text;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("unicorn_sagas_ended_total", { saga_type: CHECKOUT_SAGA_TYPE, status: "completed" })).toBe(1);
    expect(delta("unicorn_sagas_ended_total", { saga_type: CHECKOUT_SAGA_TYPE, status: "compensated" })).toBe(0);
    expect(delta("unicorn_sagas_started_total", { saga_type: CHECKOUT_SAGA_TYPE })).toBe(1);
    expect(delta("unicorn_saga_step_duration_seconds_count", step)).toBe(1);
    expect(delta("unicorn_saga_step_duration_seconds_bucket", { ...step, le: "+Inf" })).toBe(1);
    expect(delta("unicorn_saga_step_duration_seconds_sum", step)).toBeGreaterThan(0);
  });

  it("counts a checkout saga that is compensated (the wallet short), with its compensation's duration", { timeout: 60_000 }, async () => {
    const undo = { saga_type: CHECKOUT_SAGA_TYPE, step: reserveStockStepId, phase: "compensation" };
    const compensated = (text: string) => sample(text, "unicorn_sagas_ended_total", { saga_type: CHECKOUT_SAGA_TYPE, status: "compensated" });
    const before = await figures();
    const product = await createTestProduct({ slug: "metrics-pricey-unicorn", onHand: 3, salePriceCents: 12_000 });
    const shopper = await fundedCustomer(9_000, "Short Shopper");
    const checkoutId = await startAcceptedCheckout(shopper.client, { productSlug: product.slug });
    expect((await waitForCheckout(shopper.client, checkoutId)).status, describeLogs([worker])).toBe("compensated");

    const after = await waitUntil("the compensated saga in the metrics", async () => {
      const text = await figures();
      return compensated(text) > compensated(before) && text;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("unicorn_sagas_ended_total", { saga_type: CHECKOUT_SAGA_TYPE, status: "compensated" })).toBe(1);
    expect(delta("unicorn_sagas_ended_total", { saga_type: CHECKOUT_SAGA_TYPE, status: "completed" })).toBe(0);
    expect(delta("unicorn_saga_step_duration_seconds_count", undo)).toBe(1);
  });

  it("names requests by route pattern and procedure, never by their URL", async () => {
    const count = (text: string, route: string, status = "2xx") =>
      sample(text, "unicorn_http_request_duration_seconds_count", { route, method: "GET", status });
    const before = await figures();
    for (const path of ["/products/pink-unicorn", "/products/rainbow-unicorn?ref=mail", "/no/such/page", "/_next/static/chunks/app.js"]) {
      await (await fetch(`${origin}${path}`)).text();
    }
    const after = await figures();
    expect(count(after, "/products/[slug]") - count(before, "/products/[slug]")).toBe(2);
    expect(count(after, "other", "4xx") - count(before, "other", "4xx")).toBe(1);
    expect(count(after, "static", "4xx") - count(before, "static", "4xx")).toBe(1);
    expect(after).not.toContain("pink-unicorn");
    expect(after).not.toContain("/no/such/page");
    // The scrapes themselves are timed under their own route.
    expect(count(after, "/api/metrics")).toBeGreaterThan(0);
  });

  it("still answers 200 when PostgreSQL and Redis are both away, saying so, within the sources' deadline", { timeout: 30_000 }, async () => {
    const lines: string[] = [];
    const child = startChild({
      name: "scrape-with-services-away",
      command: path.join(process.cwd(), "node_modules/.bin/tsx"),
      args: [path.join(process.cwd(), "server/testing/scripts/scrape-with-services-away.ts")],
      // Nothing listens on port 9: both services refuse at once, as they do while restarting.
      env: { ...process.env, NODE_ENV: "test", DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:9/none", REDIS_URL: "redis://127.0.0.1:9/0", LOG_LEVEL: "silent" },
      onLine: (line) => lines.push(line),
    });
    expect(await child.exited, lines.join("\n")).toEqual({ code: 0, signal: null });
    const [status, ...body] = lines;
    expect(status).toMatch(/^status 200 in \d+ ms$/);
    expect(Number(/in (\d+) ms/.exec(status!)![1])).toBeLessThan(5_000);
    const text = body.join("\n");
    expect(text).toMatch(/^unicorn_metrics_source_up\{source="postgres"\} 0$/m);
    expect(text).toMatch(/^unicorn_metrics_source_up\{source="redis"\} 0$/m);
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).not.toContain("unicorn_sagas{");
  });
});
