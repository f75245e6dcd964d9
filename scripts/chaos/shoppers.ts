import { randomUUID } from "node:crypto";
import type http from "node:http";
import { isFinished, type SagaStatus } from "@/server/saga/saga-status";
import { request, trpcData, trpcError, trpcQueryPath, type HttpResult } from "../bench/lib/http-client";

/**
 * The steady load of the chaos run: shoppers who sign up, top up and then buy again and again, each over HTTP as a
 * browser would, and who do what a person does when the shop says "try again in a moment" (a 503) or does not answer:
 * ask again with the same idempotency key. What each was told is kept, to be held against the database at the end.
 */

const REQUEST_TIMEOUT_MS = 20_000;
const RETRY_PAUSE_MS = 300;
const POLL_MS = 250;
// $5,000.00: more than the four unicorns a shopper buys cost together, whichever they are, and no more than the
// production cap on one customer's top-ups in 24 hours (TOP_UP_DAILY_LIMIT_CENTS), which the chaos run keeps.
const TOP_UP_CENTS = 500_000;
const PASSWORD = "chaos-monkey-password";

export type Product = { slug: string; salePriceCents: number };

/** One checkout as its shopper saw it (ms from the start of the load). */
export type ShopperCheckout = {
  checkoutId: string;
  slug: string;
  amountCents: number;
  startedMs: number;
  status?: SagaStatus;
  /** What the shop said the wallet paid (the amount less any points), with the final status. */
  paidCents?: number;
  finalMs?: number;
};

export type ChaosShopper = {
  email: string;
  cookie?: string;
  /** Top-ups the shop confirmed (each asked until it answered, with one idempotency key). */
  toppedUpCents: number;
  checkouts: ShopperCheckout[];
};

/** Every answer the load got, by procedure and status (0 = no answer in time). */
export type AnswerTally = Record<string, Record<string, number>>;

export type Load = {
  t0: number;
  agent: http.Agent;
  port: number;
  products: readonly Product[];
  shoppers: ChaosShopper[];
  answers: AnswerTally;
  /** Answers that must never happen: a 5xx other than 503, a 4xx the shopper did not cause, no answer at all. */
  unexpected: { atMs: number; procedure: string; what: string }[];
  /** Set when the load should stop starting new work (shoppers still finish what they started). */
  stopAt: number;
  /** No retrying past this moment: what is unanswered by then is reported. */
  giveUpAt: number;
};

type Outcome<T> = { ok: true; data: T } | { ok: false; status: number; code?: string; message?: string };

/**
 * One procedure call, asked again while the shop is away (503, or no answer) until `giveUpAt`: the same request
 * each time, so a mutation carries the same idempotency key. Other answers are returned as they are.
 */
async function call<T>(load: Load, procedure: string, input: unknown, shopper: ChaosShopper, kind: "query" | "mutation"): Promise<Outcome<T>> {
  for (;;) {
    const result: HttpResult = await request({
      agent: load.agent,
      port: load.port,
      method: kind === "query" ? "GET" : "POST",
      path: kind === "query" ? trpcQueryPath(procedure, input) : `/api/trpc/${procedure}`,
      cookie: shopper.cookie,
      ...(kind === "mutation" ? { body: { json: input } } : {}),
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    tally(load, procedure, result.status);
    if (result.status >= 200 && result.status < 300 && "body" in result) {
      if (procedure === "auth.signUp" || procedure === "auth.signIn") rememberCookie(shopper, result.headers);
      return { ok: true, data: trpcData<T>(result.body) as T };
    }
    const away = result.status === 503 || result.status === 0;
    if (result.status === 0 || (result.status >= 500 && result.status !== 503)) {
      load.unexpected.push({ atMs: performance.now() - load.t0, procedure, what: "error" in result ? `no answer: ${result.error}` : `HTTP ${result.status}` });
    }
    if (!away || performance.now() > load.giveUpAt) {
      const error = "body" in result ? trpcError(result.body) : undefined;
      return { ok: false, status: result.status, code: error?.domainCode ?? error?.code, message: error?.message };
    }
    await sleep(RETRY_PAUSE_MS);
  }
}

function tally(load: Load, procedure: string, status: number): void {
  const byStatus = (load.answers[procedure] ??= {});
  byStatus[status] = (byStatus[status] ?? 0) + 1;
}

function rememberCookie(shopper: ChaosShopper, headers: http.IncomingHttpHeaders): void {
  const session = headers["set-cookie"]?.map((line) => line.split(";")[0]!).find((pair) => pair.startsWith("unicorn_session="));
  if (session) shopper.cookie = session;
}

/** An answer the shopper did not cause and cannot explain: kept with the unexpected ones. */
function refused(load: Load, procedure: string, outcome: Outcome<unknown>): void {
  if (outcome.ok || outcome.status === 503 || outcome.status === 0 || outcome.status >= 500) return;
  load.unexpected.push({ atMs: performance.now() - load.t0, procedure, what: `HTTP ${outcome.status} ${outcome.code ?? ""}: ${outcome.message ?? ""}` });
}

/** Signs a new shopper up (or in, when an earlier attempt did sign them up but its answer was lost) and tops them up. */
async function arrive(load: Load, runId: string, index: number): Promise<ChaosShopper | null> {
  const shopper: ChaosShopper = { email: `chaos-${runId}-${index}@unicorn.test`, toppedUpCents: 0, checkouts: [] };
  load.shoppers.push(shopper);
  const signedUp = await call(load, "auth.signUp", { email: shopper.email, name: `Chaos Shopper ${index}`, password: PASSWORD }, shopper, "mutation");
  if (!signedUp.ok) {
    const signedIn = signedUp.code === "EMAIL_TAKEN" && (await call(load, "auth.signIn", { email: shopper.email, password: PASSWORD }, shopper, "mutation"));
    if (!signedIn || !signedIn.ok) {
      refused(load, "auth.signUp", signedUp);
      return null;
    }
  }
  return (await topUp(load, shopper)) ? shopper : null;
}

async function topUp(load: Load, shopper: ChaosShopper): Promise<boolean> {
  const outcome = await call(load, "wallet.topUp", { amountCents: TOP_UP_CENTS, idempotencyKey: randomUUID() }, shopper, "mutation");
  if (outcome.ok) shopper.toppedUpCents += TOP_UP_CENTS;
  else refused(load, "wallet.topUp", outcome);
  return outcome.ok;
}

/** Buys one unicorn (paying part with `pointsToUse` points) and follows the checkout to its end (or until the run gives up). */
async function buy(load: Load, shopper: ChaosShopper, product: Product, pointsToUse = 0): Promise<void> {
  const startedMs = performance.now() - load.t0;
  const started = await call<{ checkoutId: string }>(
    load,
    "checkout.start",
    { productSlug: product.slug, quantity: 1, idempotencyKey: randomUUID(), ...(pointsToUse > 0 ? { pointsToUse } : {}) },
    shopper,
    "mutation",
  );
  if (!started.ok) return refused(load, "checkout.start", started);
  const checkout: ShopperCheckout = { checkoutId: started.data.checkoutId, slug: product.slug, amountCents: product.salePriceCents, startedMs };
  shopper.checkouts.push(checkout);
  while (performance.now() < load.giveUpAt) {
    const polled = await call<{ status: SagaStatus; paidCents: number }>(load, "checkout.status", { checkoutId: checkout.checkoutId }, shopper, "query");
    if (!polled.ok) return refused(load, "checkout.status", polled);
    if (isFinished(polled.data.status)) {
      checkout.status = polled.data.status;
      checkout.paidCents = polled.data.paidCents;
      checkout.finalMs = performance.now() - load.t0;
      return;
    }
    await sleep(POLL_MS);
  }
}

/** Spends some of the shopper's points now and then (Loyalty's own write path, under the same faults). */
async function redeemSome(load: Load, shopper: ChaosShopper): Promise<void> {
  const summary = await call<{ availablePoints: number }>(load, "loyalty.summary", undefined, shopper, "query");
  if (!summary.ok || summary.data.availablePoints < 10) return;
  const points = Math.min(10, summary.data.availablePoints);
  const redeemed = await call(load, "loyalty.redeem", { points, idempotencyKey: randomUUID() }, shopper, "mutation");
  // Points spent meanwhile by the same shopper's earlier redemption are a fair refusal, not a fault.
  if (!redeemed.ok && redeemed.code !== "INSUFFICIENT_POINTS") refused(load, "loyalty.redeem", redeemed);
}

/**
 * Points to put towards the next purchase: what the points of the earlier ones are worth on it (loyalty.quote), so
 * the saga's redeem-points step, its messages to Loyalty and their restore run under the same faults. 0 when none.
 */
async function pointsFor(load: Load, shopper: ChaosShopper, product: Product): Promise<number> {
  const quote = await call<{ points: number }>(load, "loyalty.quote", { points: 1_000, amountCents: product.salePriceCents }, shopper, "query");
  if (!quote.ok) refused(load, "loyalty.quote", quote);
  return quote.ok ? quote.data.points : 0;
}

/**
 * One shopping lane until the load stops: a shopper arrives, buys a few unicorns one after the other (now and then
 * redeeming points, and paying the last one partly with points), and a new shopper takes their place. `lane`
 * numbers the lane so that emails never repeat.
 */
export async function runLane(load: Load, runId: string, lane: number, lanes: number): Promise<void> {
  for (let round = 0; performance.now() < load.stopAt; round += 1) {
    const shopper = await arrive(load, runId, round * lanes + lane);
    if (!shopper) {
      await sleep(RETRY_PAUSE_MS);
      continue;
    }
    // Four different kinds (of the five, in turn): at most one Classic Unicorn each, its limit per customer.
    for (let purchase = 0; purchase < 4 && performance.now() < load.stopAt; purchase += 1) {
      const product = load.products[(lane + round + purchase) % load.products.length]!;
      await buy(load, shopper, product, purchase === 3 ? await pointsFor(load, shopper, product) : 0);
      if (purchase === 2) await redeemSome(load, shopper);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
