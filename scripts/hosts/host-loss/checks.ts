import { benchClient } from "../../bench/lib/bench-db";
import { createAgent } from "../../bench/lib/http-client";
import { createProgress, type InvariantResult } from "../../bench/lib/report";
import { checkChaosInvariants, waitForQuiescence } from "../../chaos/checks";
import type { ChaosShopper, Load } from "../../chaos/shoppers";
import type { HostLossOptions } from "./options";
import type { PartitionsLogged } from "./partitions";
import { UNICORN_PRICE_CENTS, WALLET_CENTS, type Sale } from "./sale";

/** After the sale: the host-loss check's own rules, then every invariant the chaos run holds the shop to. */

/** The balancer must stop sending shoppers to a dead host within this long (HAProxy: 2 failed checks 500 ms apart). */
const OUT_OF_ROTATION_WITHIN_MS = 2_000;

/** Polls until no saga is running or compensating; returns when, in ms after the kill, or null past the deadline. */
export async function waitForSagasFinished(databaseUrl: string, killedAt: number, deadlineS: number): Promise<number | null> {
  const client = await benchClient(databaseUrl);
  const progress = createProgress({ plainEveryMs: 5_000 });
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM saga_instances WHERE status IN ('running', 'compensating')");
      const sinceKill = performance.now() - killedAt;
      const unfinished = rows[0]?.n ?? 0;
      if (unfinished === 0) {
        progress.done(`  ✓ every saga finished ${(sinceKill / 1_000).toFixed(1)} s after the kill`);
        return sinceKill;
      }
      if (sinceKill > deadlineS * 1_000) {
        progress.done(`  ✗ ${unfinished} sagas still unfinished ${deadlineS} s after the kill`);
        return null;
      }
      progress.update(`  ${(sinceKill / 1_000).toFixed(0)} s after the kill: ${unfinished} sagas unfinished`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

export async function checkHostLoss(input: {
  options: HostLossOptions;
  sale: Sale;
  kill: { pids: number[]; inFlight: number; outOfRotationMs: number | null | undefined };
  sagasFinishedMs: number | null;
  partitions: PartitionsLogged[];
}): Promise<{ results: InvariantResult[]; settledMs: number | null }> {
  const { options, sale, kill } = input;
  const results: InvariantResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const shoppers = sale.shoppers;
  const count = (predicate: (shopper: (typeof shoppers)[number]) => boolean) => shoppers.filter(predicate).length;

  const counts = new Set(input.partitions.map((seen) => seen.partitions));
  const agreed = counts.size === 1 && !counts.has(null);
  check("every web server and checkout worker uses the same saga step queue partitions", agreed,
    agreed ? `${input.partitions[0]!.partitions} in all ${input.partitions.length} (${input.partitions[0]!.source})`
      : input.partitions.map((seen) => `${seen.process}: ${seen.partitions ?? "not logged"}`).join(", "));
  check("host-1 lost every process to one kill -9, mid-sale", kill.pids.length >= 4 && sale.killedAtMs !== undefined,
    `${kill.pids.length} processes killed at ${((sale.killedAtMs ?? 0) / 1_000).toFixed(1)} s, ${kill.inFlight} checkouts in flight`);
  check(`HAProxy took host-1 out of rotation within ${OUT_OF_ROTATION_WITHIN_MS / 1_000} s`,
    typeof kill.outOfRotationMs === "number" && kill.outOfRotationMs <= OUT_OF_ROTATION_WITHIN_MS,
    kill.outOfRotationMs == null ? "never marked down" : `marked DOWN ${(kill.outOfRotationMs / 1_000).toFixed(2)} s after the kill`);
  check(`every saga finished within ${options.sagaDeadlineS} s of the kill (the surviving host's sweep)`, input.sagasFinishedMs !== null,
    input.sagasFinishedMs === null ? "some still unfinished" : `${(input.sagasFinishedMs / 1_000).toFixed(1)} s after the kill`);

  const unanswered = shoppers.filter((shopper) => !["completed", "compensated", "sold-out"].includes(shopper.final ?? ""));
  check("every shopper answered: their checkout finished, or sold out", unanswered.length === 0,
    `${shoppers.length - unanswered.length}/${shoppers.length}${unanswered.length ? `; e.g. ${unanswered.slice(0, 3).map((s) => s.error ?? s.final ?? "no answer").join("; ")}` : ""}`);
  const told = count((shopper) => shopper.final === "completed");
  check(`exactly the stock sold, as the shoppers were told: ${options.stock}`, told === options.stock, `${told} told their order completed`);

  const client = await benchClient(options.databaseUrl);
  try {
    const stock = (await client.query<{ on_hand: number; reserved: number; orders: number; buyers: number }>(`
      SELECT i.on_hand, i.reserved,
             (SELECT count(*)::int FROM orders o WHERE o.product_id = p.id) AS orders,
             (SELECT count(DISTINCT o.customer_id)::int FROM orders o WHERE o.product_id = p.id) AS buyers
        FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.slug = 'classic-unicorn'`)).rows[0]!;
    check(`exactly the stock sold, as the database holds it: ${options.stock} orders to ${options.stock} shoppers, none left`,
      stock.orders === options.stock && stock.buyers === options.stock && stock.on_hand === 0 && stock.reserved === 0,
      `${stock.orders} orders to ${stock.buyers} shoppers; on_hand ${stock.on_hand}, reserved ${stock.reserved}`);

    const { rows } = await client.query<{ customer_id: string; ids: string[] }>(
      "SELECT customer_id::text, array_agg(id::text) AS ids FROM checkouts WHERE customer_id = ANY($1::uuid[]) GROUP BY customer_id",
      [shoppers.map((shopper) => shopper.customerId)],
    );
    const checkoutsOf = new Map(rows.map((row) => [row.customer_id, row.ids]));
    const differing = shoppers.filter((shopper) => {
      const ids = checkoutsOf.get(shopper.customerId) ?? [];
      if (shopper.checkoutIds.size > 1 || ids.length > 1) return true;
      return shopper.checkoutId === undefined ? ids.length > 0 : ids[0] !== shopper.checkoutId;
    });
    const retried = shoppers.filter((shopper) => shopper.cut > 0);
    check("one key, one checkout: every shopper who asked again got the same checkout (and a sold-out one none)", differing.length === 0,
      `${retried.length} shoppers had ${retried.reduce((sum, s) => sum + s.cut, 0)} requests cut and asked again ` +
        `(${retried.filter((s) => s.checkoutId).length} of them with a checkout); ${differing.length} differ`);
  } finally {
    await client.end();
  }

  const quiescence = await waitForQuiescence(options.databaseUrl, 60);
  check("the shop settled: every event published and handled, projections caught up", quiescence.settledMs !== null, JSON.stringify(quiescence.moving));
  const chaos = await checkChaosInvariants(options.databaseUrl, asChaosLoad(sale));
  results.push(...chaos.results);
  return { results, settledMs: quiescence.settledMs };
}

/** The sale as the chaos run's checks read a load: each shopper's opening balance and the one checkout they started. */
function asChaosLoad(sale: Sale): Load {
  const shoppers: ChaosShopper[] = sale.shoppers.map((shopper) => ({
    email: shopper.email,
    toppedUpCents: WALLET_CENTS,
    checkouts: shopper.checkoutId
      ? [{ checkoutId: shopper.checkoutId, slug: "classic-unicorn", amountCents: UNICORN_PRICE_CENTS, startedMs: shopper.arrivedMs ?? 0, paidCents: shopper.paidCents,
          status: shopper.final === "completed" || shopper.final === "compensated" ? shopper.final : undefined, finalMs: shopper.finalMs }]
      : [],
  }));
  return {
    t0: sale.t0,
    agent: createAgent(1),
    port: sale.port,
    products: [{ slug: "classic-unicorn", salePriceCents: UNICORN_PRICE_CENTS }],
    shoppers,
    answers: sale.answers,
    unexpected: sale.unexpected,
    stopAt: sale.giveUpAt,
    giveUpAt: sale.giveUpAt,
  };
}
