import { randomUUID } from "node:crypto";
import { DomainError } from "@/server/errors";
import { logger } from "@/server/logger";
import { openFundedAccounts } from "@/server/retail/customers/open-funded-accounts";
import { sql, sqlPool } from "@/server/sql";
import { recordAudit, type AuditActor } from "../audit/record-audit";

export const SIMULATED_PRODUCT_SLUG = "classic-unicorn";
const UNITS_ON_SALE = 5;
/** Every virtual shopper can afford one unicorn: the race is for stock, not money. */
const SHOPPER_BALANCE_CENTS = 50_000;
/** Shoppers asking at the same moment; the rest queue behind them, as a crowd at a door does. */
const AT_ONCE = 100;
/** No password matches this, so virtual shoppers can never sign in. */
const NO_PASSWORD = "!simulated-shopper";

export type StartCheckoutFor = (shopper: { customerId: string; idempotencyKey: string }) => Promise<unknown>;

/**
 * The demo's flash sale, on demand: puts the Classic Unicorn back to 5 available, opens `shoppers` funded accounts,
 * and has each start one checkout, all at about the same time — in the background, so the monitor can watch the
 * sagas arrive. Demo and test mode only: in a real shop it would sell real unicorns to nobody.
 */
export async function startFlashSaleSimulation(options: {
  shoppers: number;
  shopMode: "normal" | "demo" | "test";
  actor: AuditActor;
  startCheckoutFor: StartCheckoutFor;
}): Promise<{ runId: string }> {
  if (options.shopMode === "normal") {
    throw new DomainError("FORBIDDEN", "The flash-sale simulator only runs in demo mode.");
  }
  const [product] = await sqlPool.rows<{ id: string }>(sql`
    UPDATE inventory SET on_hand = reserved + ${UNITS_ON_SALE}, updated_at = now()
     WHERE product_id = (SELECT id FROM products WHERE slug = ${SIMULATED_PRODUCT_SLUG})
    RETURNING product_id AS id`);
  if (!product) throw new DomainError("NOT_FOUND", "The Classic Unicorn is not in the catalog: run npm run db:seed.");

  const runId = randomUUID();
  const customerIds = await openFundedAccounts({
    passwordHash: NO_PASSWORD,
    accounts: Array.from({ length: options.shoppers }, (_, index) => ({
      email: `shopper-${index + 1}.${runId.slice(0, 8)}@simulator.unicorn.test`,
      name: `Virtual shopper ${index + 1}`,
      balanceCents: SHOPPER_BALANCE_CENTS,
    })),
  });
  await sqlPool.count(sql`
    INSERT INTO flash_sale_simulations (id, product_id, shoppers, units_on_sale, customer_ids, started_by)
    VALUES (${runId}::uuid, ${product.id}::uuid, ${options.shoppers}, ${UNITS_ON_SALE}, ${customerIds}::uuid[], ${options.actor.email})`);
  await recordAudit({
    actor: options.actor,
    action: "flash-sale-simulation",
    targetId: runId,
    outcome: `Started ${options.shoppers} virtual shoppers for ${UNITS_ON_SALE} Classic Unicorns.`,
  });
  void runShoppers(runId, customerIds, options.startCheckoutFor);
  return { runId };
}

/** Each shopper starts one checkout; the answers are counted on the run as they come. */
async function runShoppers(runId: string, customerIds: readonly string[], startCheckoutFor: StartCheckoutFor): Promise<void> {
  const queue = [...customerIds];
  const shop = async () => {
    for (let customerId = queue.shift(); customerId; customerId = queue.shift()) {
      const answer = await startCheckoutFor({ customerId, idempotencyKey: `flash-sale-${runId}` }).then(
        () => "accepted" as const,
        (error: unknown) => (error instanceof DomainError && error.code === "OUT_OF_STOCK" ? ("turned-away" as const) : error),
      );
      if (answer !== "accepted" && answer !== "turned-away") {
        logger.warn({ err: answer, runId }, "A virtual shopper's checkout was refused");
      }
      await sqlPool.count(sql`
        UPDATE flash_sale_simulations SET answered = answered + 1,
               turned_away = turned_away + ${answer === "turned-away" ? 1 : 0},
               refused = refused + ${answer !== "accepted" && answer !== "turned-away" ? 1 : 0}
         WHERE id = ${runId}::uuid`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, customerIds.length) }, shop)).catch((error: unknown) =>
    logger.error({ err: error, runId }, "The flash-sale simulation stopped early"),
  );
}
