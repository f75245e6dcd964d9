import { randomUUID } from "node:crypto";
import type http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { isFinished, type SagaStatus } from "@/server/saga/saga-status";
import { describeFailure, request, trpcData, trpcError, trpcQueryPath, type HttpResult } from "../../bench/lib/http-client";
import { createProgress } from "../../bench/lib/report";

/**
 * The sale of the host-loss check: every shopper arrives (evenly over --arrive-over), presses "buy" once with an
 * idempotency key of their own, and follows their checkout until it is final, all through HAProxy's one address. A
 * request the kill cuts (no answer, or the balancer's 502/503/504) is asked again with the same key, as the shop's
 * page does: the shop must answer it with the checkout that request started, if it started one.
 */

/** Each shopper's wallet: $200.00, one Classic Unicorn at $120.00 and not two. */
export const WALLET_CENTS = 20_000;
export const UNICORN_PRICE_CENTS = 12_000;
const REQUEST_TIMEOUT_MS = 30_000;
const RETRY_PAUSE_MS = 250;
const POLL_MS = 250;
/** Cut requests are expected from the kill until the balancer has taken the host out and its connections are gone. */
const CUT_WINDOW_MS = 10_000;

export type SaleShopper = {
  customerId: string;
  email: string;
  cookie: string;
  /** The one idempotency key of this shopper's "buy", sent again on every retry. */
  key: string;
  arrivedMs?: number;
  /** Every checkout id the shop answered this shopper with: more than one would be two checkouts for one key. */
  checkoutIds: Set<string>;
  checkoutId?: string;
  startAttempts: number;
  /** Requests of this shopper cut by the kill (no answer, or the balancer's 502/503/504), each asked again. */
  cut: number;
  final?: SagaStatus | "sold-out" | "error";
  paidCents?: number;
  finalMs?: number;
  error?: string;
};

export type Sale = {
  t0: number;
  port: number;
  agent: http.Agent;
  shoppers: SaleShopper[];
  /** Answers that must not happen: errors the shopper did not cause, or a cut request before the kill or long after. */
  unexpected: { atMs: number; procedure: string; what: string }[];
  answers: Record<string, Record<string, number>>;
  /** Each kind of cut answer (by procedure and what it was), and how many. */
  cuts: Record<string, number>;
  giveUpAt: number;
  killedAtMs?: number;
};

export function newShopper(customerId: string, email: string, cookie: string): SaleShopper {
  return { customerId, email, cookie, key: `host-loss-${randomUUID()}`, checkoutIds: new Set(), startAttempts: 0, cut: 0 };
}

/** Runs the sale; `onTick` is called every 100 ms (the kill is scheduled from there) until every shopper is done. */
export async function runSale(sale: Sale, arriveOverS: number, onTick: () => void): Promise<void> {
  const progress = createProgress({ plainEveryMs: 3_000 });
  const ticker = setInterval(() => {
    onTick();
    progress.update(progressLine(sale));
  }, 100);
  try {
    await Promise.all(sale.shoppers.map((shopper, index) => shop(sale, shopper, (index / sale.shoppers.length) * arriveOverS * 1_000)));
  } finally {
    clearInterval(ticker);
    progress.done(progressLine(sale));
  }
}

function progressLine(sale: Sale): string {
  const count = (predicate: (shopper: SaleShopper) => boolean) => sale.shoppers.filter(predicate).length;
  const now = ((performance.now() - sale.t0) / 1_000).toFixed(1);
  const killed = sale.killedAtMs === undefined ? "host-1 up" : `host-1 killed at ${(sale.killedAtMs / 1_000).toFixed(1)} s`;
  return (
    `  ${now} s  arrived ${count((s) => s.arrivedMs !== undefined)}/${sale.shoppers.length}  started ${count((s) => s.checkoutId !== undefined)}` +
    `  sold out ${count((s) => s.final === "sold-out")}  completed ${count((s) => s.final === "completed")}` +
    `  final ${count((s) => s.final !== undefined)}  cut & retried ${sale.shoppers.reduce((sum, s) => sum + s.cut, 0)}  ${killed}`
  );
}

type Answer<T> = { kind: "ok"; data: T } | { kind: "cut" } | { kind: "refused"; result: HttpResult };

/** One call through the front; a cut answer is counted (and judged: expected only after the kill). */
async function call<T>(sale: Sale, shopper: SaleShopper, procedure: string, method: "GET" | "POST", input: unknown): Promise<Answer<T>> {
  const result = await request({
    agent: sale.agent,
    port: sale.port,
    method,
    path: method === "GET" ? trpcQueryPath(procedure, input) : `/api/trpc/${procedure}`,
    cookie: shopper.cookie,
    body: method === "POST" ? { json: input } : undefined,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const byStatus = (sale.answers[procedure] ??= {});
  byStatus[result.status] = (byStatus[result.status] ?? 0) + 1;
  if (result.status === 200) {
    const data = "body" in result ? trpcData<T>(result.body) : undefined;
    if (data !== undefined) return { kind: "ok", data };
  }
  if (result.status === 0 || result.status === 502 || result.status === 503 || result.status === 504) {
    shopper.cut += 1;
    const kind = `${procedure}: ${describeFailure(result).slice(0, 80)}`;
    sale.cuts[kind] = (sale.cuts[kind] ?? 0) + 1;
    const atMs = performance.now() - sale.t0;
    const killed = sale.killedAtMs;
    if (killed === undefined || atMs < killed || atMs > killed + CUT_WINDOW_MS) {
      sale.unexpected.push({ atMs, procedure, what: describeFailure(result) });
    }
    return { kind: "cut" };
  }
  return { kind: "refused", result };
}

async function shop(sale: Sale, shopper: SaleShopper, arrivalMs: number): Promise<void> {
  const wait = arrivalMs - (performance.now() - sale.t0);
  if (wait > 0) await sleep(wait);
  shopper.arrivedMs = performance.now() - sale.t0;
  const checkoutId = await startCheckout(sale, shopper);
  if (checkoutId) await followUntilFinal(sale, shopper, checkoutId);
}

/** "Buy", asked again with the same key until the shop answers: a checkout id, or sold out. */
async function startCheckout(sale: Sale, shopper: SaleShopper): Promise<string | undefined> {
  while (performance.now() < sale.giveUpAt) {
    shopper.startAttempts += 1;
    const answer = await call<{ checkoutId: string }>(sale, shopper, "checkout.start", "POST", {
      productSlug: "classic-unicorn",
      quantity: 1,
      idempotencyKey: shopper.key,
    });
    if (answer.kind === "ok") {
      shopper.checkoutIds.add(answer.data.checkoutId);
      shopper.checkoutId = answer.data.checkoutId;
      return answer.data.checkoutId;
    }
    if (answer.kind === "cut") {
      await sleep(RETRY_PAUSE_MS);
      continue;
    }
    return refused(sale, shopper, "checkout.start", answer.result);
  }
  shopper.error = "no answer to checkout.start before the sale's time was up";
  return undefined;
}

function refused(sale: Sale, shopper: SaleShopper, procedure: string, result: HttpResult): undefined {
  shopper.finalMs = performance.now() - sale.t0;
  const error = "body" in result ? trpcError(result.body) : undefined;
  if (procedure === "checkout.start" && result.status === 409 && error?.domainCode === "OUT_OF_STOCK") {
    shopper.final = "sold-out";
    return undefined;
  }
  shopper.final = "error";
  shopper.error = describeFailure(result);
  sale.unexpected.push({ atMs: shopper.finalMs, procedure, what: shopper.error });
  return undefined;
}

/** The checkout's page, refreshing its status until the saga is finished; the same key asked again must not differ. */
async function followUntilFinal(sale: Sale, shopper: SaleShopper, checkoutId: string): Promise<void> {
  while (performance.now() < sale.giveUpAt) {
    await sleep(POLL_MS);
    const answer = await call<{ status: SagaStatus; paidCents?: number }>(sale, shopper, "checkout.status", "GET", { checkoutId });
    if (answer.kind === "cut") continue;
    if (answer.kind === "refused") return void refused(sale, shopper, "checkout.status", answer.result);
    if (isFinished(answer.data.status)) {
      shopper.final = answer.data.status;
      shopper.paidCents = answer.data.paidCents;
      shopper.finalMs = performance.now() - sale.t0;
      // A shopper cut off while starting asks "buy" again once more at the end, as a reloaded page would: same key, same checkout.
      if (shopper.cut > 0) await askAgain(sale, shopper);
      return;
    }
  }
  shopper.error = "checkout not final before the sale's time was up";
}

async function askAgain(sale: Sale, shopper: SaleShopper): Promise<void> {
  for (let attempt = 0; attempt < 20 && performance.now() < sale.giveUpAt; attempt += 1) {
    const answer = await call<{ checkoutId: string }>(sale, shopper, "checkout.start", "POST", {
      productSlug: "classic-unicorn",
      quantity: 1,
      idempotencyKey: shopper.key,
    });
    if (answer.kind === "ok") return void shopper.checkoutIds.add(answer.data.checkoutId);
    if (answer.kind === "refused") {
      // Asked again after the end, "buy" must still answer with the checkout, never refuse it.
      return void sale.unexpected.push({ atMs: performance.now() - sale.t0, procedure: "checkout.start (asked again)", what: describeFailure(answer.result) });
    }
    await sleep(RETRY_PAUSE_MS);
  }
}
