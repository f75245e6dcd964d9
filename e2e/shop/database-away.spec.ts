import { expect, test } from "@playwright/test";
import { startChild, type SupervisedChild } from "../../server/testing/child-process";
import { startTcpProxy, type TcpProxy } from "../../server/testing/tcp-proxy";
import { ADA, signIn } from "../support/accounts";

/**
 * PostgreSQL goes away under a running shop: pages rendered per request answer 503 with a clear page (never a 500 or
 * a stack trace), the prerendered catalog and product pages keep answering 200, the web process stays up, and
 * everything answers normally again once PostgreSQL is back. The outage is this spec's own: a second web server, on
 * the same build, reaches the e2e database through a TCP proxy (server/testing/tcp-proxy.ts) that the spec cuts and
 * restores. The shared PostgreSQL never notices.
 */

const port = Number(process.env.E2E_PORT ?? 3100) + 1;
const base = `http://localhost:${port}`;
const AWAY_MESSAGE = "The shop can't reach its database for a moment. Please try again in a few seconds; trying again is safe.";

let database: TcpProxy;
let web: SupervisedChild;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const target = new URL(process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail_e2e");
  database = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const throughProxy = new URL(target);
  throughProxy.hostname = "127.0.0.1";
  throughProxy.port = String(database.port);
  web = startChild({
    name: "web behind a breakable database",
    command: process.execPath,
    args: ["--import", "tsx", "server/http/serve.ts", "--port", String(port)],
    env: { ...process.env, DATABASE_URL: throughProxy.toString(), APP_URL: base, SHOP_MODE: "test", LOG_LEVEL: "info" },
  });
  await web.waitForOutput(/Web server ready/, 60_000);
});

test.afterAll(async () => {
  await web?.stop();
  await database?.close();
});

test("pages answer 503 while the database is away, the catalog stays up, and all is well once it is back", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${base}/sign-in`);
  await signIn(page, ADA);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ADA.name);
  expect((await page.goto(`${base}/wallet`))?.status()).toBe(200);
  const balance = await page.getByTestId("wallet-balance").innerText();

  await database.cut();

  // The first page to meet the outage is already a 503 (not Next's 500), with a page that says what to do.
  const away = await page.goto(`${base}/wallet`);
  expect(away?.status()).toBe(503);
  expect(away?.headers()["retry-after"]).toBe("5");
  await expect(page.getByRole("alert")).toContainText(AWAY_MESSAGE);
  await expect(page.getByRole("link", { name: "Try again" })).toBeVisible();
  // The pages after it answer 503 at once, without waiting on PostgreSQL.
  for (const path of ["/orders", "/wallet", "/admin"]) {
    const started = Date.now();
    const answer = await page.request.get(`${base}${path}`, { maxRedirects: 0 });
    expect(answer.status(), path).toBe(503);
    expect(await answer.text()).toContain("trying again is safe");
    expect(Date.now() - started, path).toBeLessThan(2_000);
  }
  // Prerendered pages are served without the database; the API answers its own 503.
  expect((await page.request.get(`${base}/`)).status()).toBe(200);
  expect((await page.request.get(`${base}/products/classic-unicorn`)).status()).toBe(200);
  expect((await page.request.get(`${base}/api/trpc/wallet.get`)).status()).toBe(503);

  await database.restore();

  // The web server finds PostgreSQL back within about a second; then "Try again" shows the wallet as it was.
  await expect.poll(async () => (await page.request.get(`${base}/orders`)).status(), { timeout: 15_000 }).toBe(200);
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page.getByTestId("wallet-balance")).toHaveText(balance);
  expect(web.isRunning()).toBe(true);
});
