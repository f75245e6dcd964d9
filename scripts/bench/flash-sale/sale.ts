import { randomUUID } from "node:crypto";
import type http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { isFinished, type SagaStatus } from "@/server/saga/saga-status";
import { describeFailure, request, trpcData, trpcError, trpcQueryPath } from "../lib/http-client";
import { cpuBetween, cpuSnapshot, type CpuUsage } from "../lib/proc-cpu";
import { createProgress, round } from "../lib/report";
import type { FlashSaleOptions } from "./options";
import { PRODUCT_SLUG, type Shopper } from "./shoppers";

const REQUEST_TIMEOUT_MS = 60_000;

type Agent = http.Agent;

/** What the sale as a whole cost and met, beside what each shopper saw (kept on the shoppers themselves). */
export type SaleTally = {
  saleStartWall: Date;
  saleSeconds: number;
  requests: number;
  httpErrors: Record<string, number>;
  cpu: CpuUsage;
};

type Sale = {
  options: FlashSaleOptions;
  ports: readonly number[];
  agent: Agent;
  pollAgent: Agent;
  t0: number;
  deadline: number;
  requests: number;
  httpErrors: Record<string, number>;
};

/**
 * Every shopper presses "buy" once (`checkout.start`) — all at the same moment (--burst) or arriving evenly over
 * --arrive-over seconds — then polls `checkout.status` until their checkout is finished or the time is up. CPU is
 * measured over the whole sale for each of `roots`.
 */
export async function runSale(
  options: FlashSaleOptions,
  shoppers: Shopper[],
  servers: { ports: readonly number[]; agent: Agent; pollAgent: Agent },
  cpuOf: { roots: Record<string, number>; databaseName: string },
): Promise<SaleTally> {
  const cpuBefore = cpuSnapshot(cpuOf);
  const benchCpuBefore = process.cpuUsage();
  const saleStartWall = new Date();
  const t0 = performance.now();
  const sale: Sale = {
    options,
    ...servers,
    t0,
    deadline: t0 + options.timeoutS * 1000,
    requests: 0,
    httpErrors: {},
  };
  const progress = createProgress();
  const ticker = setInterval(() => progress.update(progressLine(shoppers, sale)), 250);
  await Promise.all(shoppers.map((shopper, index) => buy(sale, shopper, index, shoppers.length)));
  clearInterval(ticker);
  const saleSeconds = (performance.now() - t0) / 1000;
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(cpuOf));
  const benchCpu = process.cpuUsage(benchCpuBefore);
  cpu.percentByGroup.bench = round(((benchCpu.user + benchCpu.system) / 1000 / (saleSeconds * 1000)) * 100) ?? 0;
  progress.done(`  done in ${saleSeconds.toFixed(1)} s`);
  sale.agent.destroy();
  sale.pollAgent.destroy();
  return { saleStartWall, saleSeconds, requests: sale.requests, httpErrors: sale.httpErrors, cpu };
}

function countHttpError(sale: Sale, kind: string): void {
  sale.httpErrors[kind] = (sale.httpErrors[kind] ?? 0) + 1;
}

/** One shopper: arrives, presses "buy", then (if a checkout started) follows its status until final. */
async function buy(sale: Sale, shopper: Shopper, index: number, shoppers: number): Promise<void> {
  const port = sale.ports[index % sale.ports.length] as number; // a shopper stays on one server, as with sticky sessions
  const arrival = (index / shoppers) * sale.options.arriveOverS * 1000;
  if (arrival > 0) await sleep(arrival - (performance.now() - sale.t0));
  shopper.arrivedMs = performance.now() - sale.t0;
  sale.requests += 1;
  const started = await request({
    agent: sale.agent,
    port,
    method: "POST",
    path: "/api/trpc/checkout.start",
    cookie: shopper.cookie,
    body: { json: { productSlug: PRODUCT_SLUG, quantity: 1, idempotencyKey: randomUUID() } },
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  shopper.startAnsweredMs = performance.now() - sale.t0;
  shopper.startStatus = started.status;
  const checkoutId = started.status === 200 && "body" in started ? trpcData<{ checkoutId: string }>(started.body)?.checkoutId : undefined;
  if (checkoutId) {
    shopper.answer = "started";
    shopper.checkoutId = checkoutId;
    await pollUntilFinal(sale, shopper, port, checkoutId);
    return;
  }
  const error = "body" in started ? trpcError(started.body) : undefined;
  shopper.finalMs = shopper.startAnsweredMs;
  if (started.status === 409 && error?.domainCode === "OUT_OF_STOCK") {
    shopper.answer = "sold-out";
    shopper.final = "sold-out";
    return;
  }
  shopper.answer = "other";
  shopper.final = "error";
  shopper.error = describeFailure(started);
  countHttpError(sale, `start: ${started.status === 0 ? "no response" : `HTTP ${started.status}`}`);
}

/** The shopper's page refreshing its status every --poll-ms until the saga is finished (or the time is up). */
async function pollUntilFinal(sale: Sale, shopper: Shopper, port: number, checkoutId: string): Promise<void> {
  while (performance.now() < sale.deadline) {
    await sleep(sale.options.pollMs);
    sale.requests += 1;
    shopper.polls += 1;
    const polled = await request({
      agent: sale.pollAgent,
      port,
      method: "GET",
      path: trpcQueryPath("checkout.status", { checkoutId }),
      cookie: shopper.cookie,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    const status = polled.status === 200 && "body" in polled ? trpcData<{ status: SagaStatus; failureReason?: string }>(polled.body) : undefined;
    if (!status) {
      countHttpError(sale, `status: ${polled.status === 0 ? "no response" : `HTTP ${polled.status}`}`);
      shopper.error = describeFailure(polled);
      continue; // a shopper whose page failed to refresh tries again
    }
    if (isFinished(status.status)) {
      shopper.final = status.status;
      shopper.finalMs = performance.now() - sale.t0;
      shopper.failureReason = status.failureReason;
      return;
    }
  }
  shopper.final = "unfinished";
}

function progressLine(shoppers: readonly Shopper[], sale: Sale): string {
  const count = (predicate: (shopper: Shopper) => boolean) => shoppers.filter(predicate).length;
  const errors = Object.values(sale.httpErrors).reduce((sum, value) => sum + value, 0);
  return (
    `  ${((performance.now() - sale.t0) / 1000).toFixed(1)} s   answered ${count((shopper) => shopper.answer !== undefined)}/${shoppers.length} ` +
    `(started ${count((shopper) => shopper.answer === "started")}, sold out ${count((shopper) => shopper.answer === "sold-out")})` +
    `   final ${count((shopper) => shopper.final !== undefined)}/${shoppers.length}   sold ${count((shopper) => shopper.final === "completed")}` +
    `   HTTP errors ${errors}`
  );
}
