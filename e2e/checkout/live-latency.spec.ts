import { Redis } from "ioredis";
import { decodeChangeMessage } from "../../server/live/change-message";
import { liveChannel } from "../../server/live/live-channel";
import { newShopper, signUp } from "../support/accounts";
import { injectCheckoutFault } from "../support/database";
import { test } from "../support/fixtures";
import { topUp } from "../support/shop";

/**
 * A figure, not a check: how long a step the worker committed takes to reach the browser at rest, through the whole
 * way (PUBLISH from the worker, the web process's subscriber, its read of PostgreSQL, SSE through `next start`,
 * Chromium's EventSource). It prints p50/p95/max and asserts nothing about time.
 */

const CHECKOUTS = 50;

type Followed = { checkoutId: string; receivedAt: number[] };

test("prints how long a committed step takes to reach the browser (50 checkouts, one at a time)", async ({ page, stock }) => {
  test.setTimeout(180_000);
  await stock.set("pocket-unicorn", CHECKOUTS + 5);
  await signUp(page, newShopper("latency"));
  await topUp(page, 1_100);
  // Reserving waits a moment, so that the browser is listening before the first step commits.
  const removeDelay = await injectCheckoutFault({ step: "reserve-stock", kind: "delay_before", times: CHECKOUTS, delayMs: 200 });

  // When each change committed, as the worker announced it (pub/sub reaches every database number, so filter by id).
  const committedAt = new Map<string, number[]>();
  const listener = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/2");
  listener.on("pmessage", (_pattern: string, channel: string, text: string) => {
    const message = decodeChangeMessage(text);
    if (message) committedAt.set(channel, [...(committedAt.get(channel) ?? []), message.committedAt]);
  });
  await listener.psubscribe(liveChannel("saga", "*"));

  const latencies: number[] = [];
  try {
    await page.goto("/");
    for (let index = 0; index < CHECKOUTS; index += 1) {
      const followed = await page.evaluate(followOneCheckout, { slug: "pocket-unicorn", key: `latency-${Date.now()}-${index}` });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const commits = committedAt.get(liveChannel("saga", followed.checkoutId)) ?? [];
      // The first event is the status at once; each later one was caused by the latest commit before it arrived.
      for (const receivedAt of followed.receivedAt.slice(1)) {
        const cause = Math.max(...commits.filter((at) => at <= receivedAt));
        if (Number.isFinite(cause)) latencies.push(receivedAt - cause);
      }
    }
  } finally {
    await removeDelay();
    listener.disconnect();
  }

  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.ceil(share * latencies.length) - 1)];
  console.log(
    `commit → browser over ${CHECKOUTS} checkouts (${latencies.length} pushed statuses): ` +
      `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${latencies.at(-1)} ms`,
  );
});

/** Runs in the page: starts a checkout and follows it with an EventSource until the stream ends. */
async function followOneCheckout({ slug, key }: { slug: string; key: string }): Promise<Followed> {
  const started = await fetch("/api/trpc/checkout.start", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { productSlug: slug, quantity: 1, idempotencyKey: key } }),
  });
  const checkoutId: string = (await started.json()).result.data.json.checkoutId;
  const receivedAt: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const input = encodeURIComponent(JSON.stringify({ json: { checkoutId } }));
    const source = new EventSource(`/api/trpc/checkout.onStatus?input=${input}`);
    const timer = setTimeout(() => finish(new Error(`checkout ${checkoutId} did not finish in time`)), 15_000);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      source.close();
      if (error) reject(error);
      else resolve();
    };
    source.onmessage = () => receivedAt.push(Date.now());
    source.addEventListener("return", () => finish());
    source.addEventListener("serialized-error", (event) => finish(new Error(`the stream failed: ${(event as MessageEvent).data}`)));
  });
  return { checkoutId, receivedAt };
}
