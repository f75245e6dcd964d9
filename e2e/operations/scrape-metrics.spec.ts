import { expect, test } from "@playwright/test";

/**
 * Prometheus scraping the production build through the shop's own web server (server/http/serve.ts): the token
 * scripts/e2e.sh sets opens GET /api/metrics, anything else is refused; a page seen is counted under its pattern.
 */
const TOKEN = process.env.METRICS_TOKEN ?? "e2e-metrics-token-not-a-secret";

test("an operator's Prometheus scrapes /api/metrics with its token, and nobody else can", async ({ request }) => {
  const refused = await request.get("/api/metrics", { headers: { authorization: "Bearer someone-elses-guess-0000" } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toBe('Bearer realm="metrics"');
  expect((await request.get("/api/metrics")).status()).toBe(401);

  expect((await request.get("/products/classic-unicorn")).status()).toBe(200);
  expect((await request.get("/products/classic-unicorn?from=mail")).status()).toBe(200);

  const scrape = await request.get("/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(scrape.status()).toBe(200);
  expect(scrape.headers()["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
  const text = await scrape.text();
  expect(text).toMatch(/^unicorn_metrics_source_up\{source="postgres"\} 1$/m);
  expect(text).toMatch(/^unicorn_metrics_source_up\{source="redis"\} 1$/m);
  expect(text).toMatch(/^unicorn_http_request_duration_seconds_count\{[^}]*route="\/products\/\[slug\]"[^}]*\} [1-9]\d*$/m);
  expect(text).not.toContain("classic-unicorn");
  expect(text).toMatch(/^unicorn_queue_jobs\{queue="saga-steps",state="waiting"\} \d+$/m);
  expect(text).toContain("process_resident_memory_bytes");
});
