import type { Page, Response } from "@playwright/test";
import { ADMIN } from "../support/admin";
import { ADA, newShopper, signUp } from "../support/accounts";
import { expect, test } from "../support/fixtures";
import { buy, expectOrderConfirmed, signInAs, topUp } from "../support/shop";

/**
 * The Content-Security-Policy the web server sends (server/http/front-door.ts) is one the pages work under: every page
 * of every journey is opened in the browser, its scripts hydrate it (a click works, live data arrives), and the
 * browser reports no violation, neither as a `securitypolicyviolation` event nor in the console.
 */

type Violation = { page: string; directive: string; blocked: string; sample: string };

/** Every CSP violation a page's documents report, from their first script on. */
class ViolationWatch {
  readonly found: Violation[] = [];

  private constructor(private readonly page: Page) {}

  static async of(page: Page): Promise<ViolationWatch> {
    const watch = new ViolationWatch(page);
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) watch.found.push({ page: page.url(), directive: "(console)", blocked: "", sample: message.text() });
    });
    await page.addInitScript(() => {
      const seen: unknown[] = [];
      Object.assign(window, { cspViolations: seen });
      document.addEventListener("securitypolicyviolation", (event) => {
        seen.push({ page: location.href, directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
      });
    });
    return watch;
  }

  /** Takes the current document's reports (each document keeps its own: read before leaving it). */
  async collect(): Promise<void> {
    await this.page.waitForLoadState("load");
    const reported = await this.page.evaluate(() => (window as unknown as { cspViolations?: Violation[] }).cspViolations?.splice(0) ?? []);
    this.found.push(...reported);
  }

  /** Opens `path`, checks the door's headers on the document, lets its scripts run, and collects. */
  async visit(path: string): Promise<Response> {
    const response = await this.page.goto(path);
    expect(response, path).not.toBeNull();
    const headers = response!.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    // Inline code runs only by name (a nonce or a hash), never because it is inline.
    expect(headers["content-security-policy"], path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["content-security-policy"], path).toMatch(/script-src[^;]*'(nonce|sha256)-/);
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("same-origin");
    // Live streams (SSE) keep the network busy for good, so "network idle" never comes: give the scripts a moment.
    await this.page.waitForLoadState("load");
    await this.page.waitForTimeout(500);
    await this.collect();
    return response!;
  }
}

test("every page works under the Content-Security-Policy, with nothing blocked", async ({ page, browser, stock }) => {
  test.slow();
  await stock.set("pocket-unicorn", 5);
  const shopper = await ViolationWatch.of(page);

  // Signed out: the shared pages and sign-in.
  await shopper.visit("/");
  await expect(page.getByTestId("product-classic-unicorn")).toBeVisible();
  await shopper.visit("/products/classic-unicorn");
  await expect(page.getByRole("button", { name: "Buy now" })).toBeVisible();
  await shopper.visit("/sign-in");

  // A new shopper's pages: sign up (hydrated forms), wallet and a top-up, a checkout with its live progress, orders, points.
  await signUp(page, newShopper("csp"));
  await shopper.collect();
  const wallet = await shopper.visit("/wallet");
  expect(wallet.headers()["cache-control"]).toContain("no-store");
  await topUp(page, 25);
  await shopper.collect();
  // The product page signed in: the wallet and its shortfall, fetched in the browser; the Top up it leads to.
  await shopper.visit("/products/classic-unicorn");
  await expect(page.getByTestId("buy-shortfall")).toBeVisible();
  await shopper.visit("/wallet?amount=95.00&next=%2Fproducts%2Fclassic-unicorn");
  const checkoutUrl = await buy(page, "pocket-unicorn");
  await expectOrderConfirmed(page);
  await shopper.collect();
  const checkout = await shopper.visit(new URL(checkoutUrl).pathname);
  expect(checkout.headers()["cache-control"]).toContain("no-store");
  await shopper.visit("/orders");
  await shopper.visit("/points");

  // Ada's points, fetched by the page in the browser (a chart among them).
  const adaContext = await browser.newContext();
  const adaPage = await adaContext.newPage();
  const ada = await ViolationWatch.of(adaPage);
  await signInAs(adaPage, ADA);
  await ada.visit("/points");
  await expect(adaPage.getByRole("heading", { level: 1 })).toBeVisible();

  // The admin monitor: charts (inline SVG styles), tables, polling.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  const admin = await ViolationWatch.of(adminPage);
  await signInAs(adminPage, ADMIN);
  for (const path of ["/admin", "/admin/sagas", "/admin/queues", "/admin/rules", "/admin/points"]) {
    const response = await admin.visit(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["cache-control"], path).toContain("no-store");
  }
  await adaContext.close();
  await adminContext.close();

  expect([...shopper.found, ...ada.found, ...admin.found]).toEqual([]);
});

test("the shop cannot be framed, not even by its own pages", async ({ page }) => {
  await page.goto("/");
  const refused = page.waitForEvent("console", { predicate: (message) => /frame-ancestors 'none'/.test(message.text()) });
  await page.setContent(`<iframe id="shop" src="${new URL(page.url()).origin}/products/classic-unicorn"></iframe>`);
  await refused;
  await expect(page.frameLocator("#shop").getByRole("button", { name: "Buy now" })).toHaveCount(0);
});

test("a script the shop did not write does not run, on a prerendered page or on one rendered for the request", async ({ page }) => {
  for (const path of ["/", "/sign-in"]) {
    await page.goto(path);
    const ran = await page.evaluate(async () => {
      const reported = new Promise<string>((resolve) => document.addEventListener("securitypolicyviolation", (event) => resolve(event.violatedDirective), { once: true }));
      const script = document.createElement("script");
      script.textContent = "window.injectedScriptRan = true";
      document.body.append(script);
      const handler = document.createElement("img");
      handler.setAttribute("onerror", "window.injectedHandlerRan = true");
      handler.src = "/no-such-image.png";
      document.body.append(handler);
      const directive = await reported;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = window as unknown as { injectedScriptRan?: boolean; injectedHandlerRan?: boolean };
      return { directive, script: seen.injectedScriptRan === true, handler: seen.injectedHandlerRan === true };
    });
    expect(ran, path).toEqual({ directive: expect.stringMatching(/^script-src/), script: false, handler: false });
  }
});
