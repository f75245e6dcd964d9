import type { Page, Request } from "@playwright/test";
import { Redis } from "ioredis";
import { liveChannel } from "../../server/live/live-channel";
import { newShopper, signUp } from "../support/accounts";
import { injectCheckoutFault } from "../support/database";
import { expect, test, type Stock } from "../support/fixtures";
import { buy, expectOrderConfirmed, topUp } from "../support/shop";

/**
 * The checkout page follows its checkout through the checkout.onStatus stream (SSE), and asks checkout.status every
 * half second only while the stream does not work.
 */

const ON_STATUS = "/api/trpc/checkout.onStatus";
const LOST_TOUCH = "We lost touch with the shop for a moment. Still checking…";

/** The API requests the page makes from now on, by procedure (a batched request counts for each of its procedures). */
function recordApiCalls(page: Page) {
  const requests: Request[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/trpc/")) requests.push(request);
  });
  const procedures = (request: Request) => new URL(request.url()).pathname.slice("/api/trpc/".length).split(",");
  return {
    of: (procedure: string) => requests.filter((request) => procedures(request).includes(procedure)),
  };
}

/**
 * A new shopper with money for a Pocket Unicorn (in stock), whose payment waits `delayMs` (once) so that the progress
 * is there to watch, goes through `journey`; the delay is removed afterwards whatever happened.
 */
async function withSlowPayment(page: Page, stock: Stock, shopper: { label: string; delayMs: number }, journey: () => Promise<void>) {
  await stock.set("pocket-unicorn", 10);
  await signUp(page, newShopper(shopper.label));
  await topUp(page, 50);
  const removeDelay = await injectCheckoutFault({ step: "debit-wallet", kind: "delay_before", times: 1, delayMs: shopper.delayMs });
  try {
    await journey();
  } finally {
    await removeDelay();
  }
}

test("the checkout page is driven by the live stream, and asks for nothing while it works", async ({ page, stock }) => {
  await withSlowPayment(page, stock, { label: "live", delayMs: 1_500 }, async () => {
    const calls = recordApiCalls(page);
    await buy(page, "pocket-unicorn");

    await expect(page.getByTestId("step-reserve-stock")).toContainText("Done");
    await expect(page.getByTestId("step-debit-wallet")).toContainText("In progress");
    await expectOrderConfirmed(page);
    await expect(page.getByTestId("step-complete-order")).toContainText("Done");

    const streams = calls.of("checkout.onStatus");
    expect(streams.length).toBeGreaterThanOrEqual(1);
    expect(streams[0]!.resourceType()).toBe("eventsource");
    expect((await streams[0]!.response())?.headers()["content-type"]).toBe("text/event-stream");
    expect(calls.of("checkout.status")).toEqual([]);
    await expect(page.getByText(LOST_TOUCH)).toHaveCount(0);
  });
});

test("leaving the page hangs up: the web process stops listening to the checkout's channel", async ({ page, stock }) => {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/2");
  await withSlowPayment(page, stock, { label: "leave", delayMs: 5_000 }, async () => {
    const checkoutId = new URL(await buy(page, "pocket-unicorn")).pathname.split("/").at(-1)!;
    const listeners = async () => ((await redis.pubsub("NUMSUB", liveChannel("saga", checkoutId))) as [string, number])[1];
    // Listening once the page's stream is open (the first status may already show, rendered by the server).
    await expect.poll(listeners).toBe(1);
    await expect(page.getByTestId("step-debit-wallet")).toContainText("In progress");

    await page.goto("/");
    await expect.poll(listeners).toBe(0);
  }).finally(() => redis.disconnect());
});

test("when the live stream breaks, the page asks instead and still follows the checkout to the end", async ({ page, stock }) => {
  await withSlowPayment(page, stock, { label: "fallback", delayMs: 1_500 }, async () => {
    await page.route(`**${ON_STATUS}**`, (route) => route.abort("connectionrefused"));
    const calls = recordApiCalls(page);
    await buy(page, "pocket-unicorn");

    await expect(page.getByTestId("step-debit-wallet")).toContainText("In progress");
    await expectOrderConfirmed(page);
    expect(calls.of("checkout.onStatus").length).toBeGreaterThanOrEqual(1);
    expect(calls.of("checkout.status").length).toBeGreaterThanOrEqual(1);
    // Asking is enough: the page never says it lost touch.
    await expect(page.getByText(LOST_TOUCH)).toHaveCount(0);
  });
});

test("the page says it lost touch only while neither the stream nor asking works", async ({ page, stock }) => {
  await withSlowPayment(page, stock, { label: "offline", delayMs: 8_000 }, async () => {
    await page.route(`**${ON_STATUS}**`, (route) => route.abort("connectionrefused"));
    await page.route("**/api/trpc/checkout.status**", (route) => route.abort("connectionrefused"));
    await buy(page, "pocket-unicorn");
    await expect(page.getByText(LOST_TOUCH)).toBeVisible();

    // The shop is reachable again (asking works; the stream stays broken): the words go, the checkout is followed.
    await page.unroute("**/api/trpc/checkout.status**");
    await expect(page.getByText(LOST_TOUCH)).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Placing your order…" })).toBeVisible();
    await expectOrderConfirmed(page);
  });
});

test("a step that takes longer than usual says so and that the shopper can leave; the orders list follows it to the end", async ({
  page,
  stock,
}) => {
  // Paying waits 12 s: the page says so after 5, the shopper leaves for the orders list, and the order still confirms.
  test.slow();
  await withSlowPayment(page, stock, { label: "slow", delayMs: 12_000 }, async () => {
    await buy(page, "pocket-unicorn");
    const message = page.getByTestId("checkout-message");
    await expect(message).toHaveText("Paying $19.99 from your wallet…");
    await expect(message).toHaveText(
      "Paying $19.99 from your wallet… This is taking longer than usual — you can leave this page: your order carries on, and you'll find it in your orders.",
      { timeout: 9_000 },
    );

    await page.getByRole("link", { name: "Orders", exact: true }).click();
    const order = page.getByTestId("order").first();
    await expect(order.getByTestId("order-status")).toHaveText("In progress");
    await expect(async () => {
      await page.reload();
      await expect(order.getByTestId("order-status")).toHaveText("Confirmed", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  });
});
