import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { haproxyArgs, oneHostFrontConfig, writeConfig } from "../../scripts/front/front-door";
import { startChild, type SupervisedChild } from "../../server/testing/child-process";
import { ADA, signIn } from "../support/accounts";
import { expect, test } from "../support/fixtures";
import { followReservationReleaseAndSale } from "../support/live-stock";
import { PAT } from "../support/shop";

/**
 * The shop as `npm run shop` runs it: HAProxy in front (scripts/front/), keeping the catalog and product pages in its
 * cache, and a web server behind it that reads the shopper's address from it. A second web server on the same build
 * and database, and its own HAProxy, so the spec can put the front door where it belongs without moving the suite's.
 * Needs HAProxy (scripts/ensure-services.sh --with-browser installs it as root on Debian).
 */

const webPort = Number(process.env.E2E_PORT ?? 3100) + 2;
const frontPort = webPort + 1;
const front = `http://localhost:${frontPort}`;

let web: SupervisedChild;
let haproxy: SupervisedChild;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  web = startChild({
    name: "web behind the front door",
    command: process.execPath,
    args: ["--import", "tsx", "server/http/serve.ts", "--hostname", "127.0.0.1", "--port", String(webPort)],
    env: { ...process.env, APP_URL: front, TRUSTED_PROXY_HOPS: "1", SHOP_MODE: "test", LOG_LEVEL: "info" },
  });
  const config = writeConfig(
    path.join(os.tmpdir(), `unicorn-retail-e2e-front-${frontPort}.cfg`),
    oneHostFrontConfig({ frontPort, webPort, bind: "127.0.0.1" }),
  );
  haproxy = startChild({ name: "haproxy", command: "haproxy", args: haproxyArgs(config), env: process.env });
  await web.waitForOutput(/Web server ready/, 60_000);
  for (let attempt = 0; !(await fetch(`${front}/api/health`).then((answer) => answer.ok, () => false)); attempt++) {
    if (attempt > 100 || !haproxy.isRunning()) throw new Error(`The front door did not answer:\n${haproxy.tail(20)}`);
    await sleep(100);
  }
});

test.afterAll(async () => {
  await haproxy?.stop();
  await web?.stop();
});

test("the catalog and product pages come from the front door's cache; nothing of a customer's ever does", async ({ browser, request }) => {
  for (const page of ["/", "/products/classic-unicorn"]) {
    await request.get(`${front}${page}`);
    const again = await request.get(`${front}${page}`);
    expect(again.status(), page).toBe(200);
    expect(again.headers()["x-cache"], page).toBe("HIT");
    // A page kept for everyone names its inline code by hash only: no nonce is ever handed out twice.
    expect(again.headers()["content-security-policy"], page).not.toContain("'nonce-");
  }

  // Two customers through the same front door, one after the other: each sees their own wallet and name, and no
  // answer of theirs (a page, an API call) comes from the cache.
  for (const account of [ADA, PAT]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${front}/sign-in`);
      await signIn(page, account);
      await expect(page.getByTestId("signed-in-as")).toHaveText(account.name);
      for (const address of ["/wallet", "/orders", "/api/trpc/wallet.get", "/api/trpc/auth.me"]) {
        const answer = await page.request.get(`${front}${address}`);
        expect(answer.status(), address).toBe(200);
        expect(answer.headers()["x-cache"], address).toBeUndefined();
      }
      const me = await page.request.get(`${front}/api/trpc/auth.me`);
      expect(JSON.stringify(await me.json())).toContain(account.email);
      // The page from the cache still says who is signed in: that is asked in the browser, per customer.
      await page.goto(`${front}/`);
      await expect(page.getByTestId("signed-in-as")).toHaveText(account.name);
    } finally {
      await context.close();
    }
  }

  // Signed out, the points page is still the web server's to refuse: it is not kept.
  const points = await request.get(`${front}/points`, { maxRedirects: 0 });
  expect(points.status()).toBe(307);
  expect(points.headers()["x-cache"]).toBeUndefined();
});

test("a product page from the front door's cache follows a reservation, a release and a sale within a second", async ({
  browser,
  page,
  stock,
}) => {
  // The page is in the cache before stock moves, so what follows the stock is the live stream, not a fresh render.
  await fetchPage("/products/classic-unicorn");
  expect((await fetchPage("/products/classic-unicorn")).headers.get("x-cache")).toBe("HIT");
  await followReservationReleaseAndSale({ browser, page, stock, base: front });
});

function fetchPage(address: string): Promise<Response> {
  return fetch(`${front}${address}`, { headers: { accept: "text/html" } });
}
