import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import type { CheckoutStepId } from "../../server/retail/checkout/checkout-steps";
import { queuePrefix } from "../../server/queues/queue-prefix";

/**
 * Direct access to the e2e database, to ARRANGE what a test needs (stock, injected faults) — never to check results,
 * which tests read from the pages like a shopper would. scripts/e2e.sh exports DATABASE_URL for the e2e database.
 */

const execFileAsync = promisify(execFile);

let pool: pg.Pool | undefined;

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url || !/unicorn_retail_e2e/.test(url)) {
    throw new Error(
      `DATABASE_URL must point at an e2e database (got ${url ?? "nothing"}): run the e2e tests with scripts/e2e.sh.`,
    );
  }
  return url;
}

function database(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: databaseUrl(), max: 2 });
  return pool;
}

export async function closeDatabase(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

/** Units of a product a shopper can buy now: on hand minus those reserved by checkouts in flight. */
export async function availableOf(slug: string): Promise<number> {
  const { rows } = await database().query<{ available: number }>(
    `SELECT i.on_hand - i.reserved AS available FROM inventory i JOIN products p ON p.id = i.product_id WHERE p.slug = $1`,
    [slug],
  );
  if (!rows[0]) throw new Error(`No inventory for product ${slug}`);
  return rows[0].available;
}

/** Restocks (or de-stocks) a product so that exactly `available` units can be bought; units held stay held. */
export async function setAvailable(slug: string, available: number): Promise<void> {
  const { rowCount } = await database().query(
    `UPDATE inventory SET on_hand = reserved + $2, updated_at = now()
       WHERE product_id = (SELECT id FROM products WHERE slug = $1)`,
    [slug, available],
  );
  if (rowCount !== 1) throw new Error(`No inventory for product ${slug}`);
}

/** Waits until no checkout is still running or compensating, so that stock can be put back without a race. */
export async function waitForCheckoutsToSettle(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await database().query<{ active: number }>(
      `SELECT count(*)::int AS active FROM saga_instances WHERE status IN ('running', 'compensating')`,
    );
    if (rows[0]?.active === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]?.active} checkouts still in flight after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Fault = {
  step: CheckoutStepId;
  phase?: "action" | "compensation";
  kind: "fail_permanently" | "fail_transiently" | "delay_before" | "delay_after_commit";
  /** How many deliveries it affects; the checkout worker honours faults because e2e.sh runs it with SHOP_MODE=test. */
  times: number;
  delayMs?: number;
};

/** Injects a fault into the checkout saga's next deliveries of a step; returns a function that removes it. */
export async function injectCheckoutFault(fault: Fault): Promise<() => Promise<void>> {
  const { rows } = await database().query<{ id: string }>(
    `INSERT INTO saga_faults (saga_type, step, phase, kind, remaining, delay_ms)
     VALUES ('checkout', $1, $2::saga_phase, $3::saga_fault_kind, $4, $5) RETURNING id`,
    [fault.step, fault.phase ?? "action", fault.kind, fault.times, fault.delayMs ?? 0],
  );
  const id = rows[0]!.id;
  return async () => {
    await database().query(`DELETE FROM saga_faults WHERE id = $1`, [id]);
  };
}

/** Each campaign rule version's id, whether it is on, retired or replaced, to put the rules back after a test changed them. */
export type CampaignRuleStates = { id: string; enabled: boolean; retiredAt: Date | null; supersededBy: string | null }[];

export async function campaignRuleStates(): Promise<CampaignRuleStates> {
  const { rows } = await database().query<CampaignRuleStates[number]>(
    `SELECT id, enabled, retired_at AS "retiredAt", superseded_by AS "supersededBy" FROM loyalty_campaign_rules ORDER BY id`,
  );
  return rows;
}

/** Switches off every multiplier (Cyber Monday double points…), so a purchase earns what the earning rules say. */
export async function disableMultiplierRules(): Promise<void> {
  await database().query(`UPDATE loyalty_campaign_rules SET enabled = false, updated_at = now() WHERE kind = 'multiplier'`);
}

/** Adds a multiplier active from `from` until `until`, above every other rule; returns its id. */
export async function addMultiplierRule(rule: { name: string; factor: number; from: Date; until: Date }): Promise<string> {
  const { rows } = await database().query<{ id: string }>(
    `INSERT INTO loyalty_campaign_rules (id, name, kind, settings, enabled, priority, active_from, active_until)
     SELECT gen_random_uuid(), $1, 'multiplier', jsonb_build_object('factor', $2::int), true,
            coalesce(max(priority), 0) + 1, $3, $4
       FROM loyalty_campaign_rules RETURNING id`,
    [rule.name, rule.factor, rule.from, rule.until],
  );
  return rows[0]!.id;
}

/**
 * Puts the rules back as `states` had them: rules and versions added since are removed (an edit's version 2 with
 * them), the others switched, retired and replaced as they were.
 */
export async function restoreCampaignRules(states: CampaignRuleStates): Promise<void> {
  await database().query(`DELETE FROM loyalty_campaign_rules WHERE NOT (id = ANY($1::uuid[]))`, [states.map((s) => s.id)]);
  for (const { id, enabled, retiredAt, supersededBy } of states) {
    await database().query(
      `UPDATE loyalty_campaign_rules SET enabled = $2, retired_at = $3, superseded_by = $4, updated_at = now() WHERE id = $1`,
      [id, enabled, retiredAt, supersededBy],
    );
  }
}

/** The redemption rule's numbers (what points are worth at checkout), to put it back after a test changed it. */
export type RedemptionRuleNumbers = { pointsPerStep: number; centsPerStep: number; maxDiscountPercent: number };

export async function redemptionRuleNumbers(): Promise<RedemptionRuleNumbers | undefined> {
  const { rows } = await database().query<RedemptionRuleNumbers>(
    `SELECT points_per_step AS "pointsPerStep", cents_per_step AS "centsPerStep", max_discount_percent AS "maxDiscountPercent"
       FROM loyalty_redemption_rule`,
  );
  return rows[0];
}

/** Puts the redemption rule back as it was (no row: the launch rule applies, as before). */
export async function restoreRedemptionRule(rule: RedemptionRuleNumbers | undefined): Promise<void> {
  if (!rule) {
    await database().query(`DELETE FROM loyalty_redemption_rule`);
    return;
  }
  await database().query(
    `INSERT INTO loyalty_redemption_rule (id, points_per_step, cents_per_step, max_discount_percent) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET points_per_step = $1, cents_per_step = $2, max_discount_percent = $3, updated_at = now()`,
    [rule.pointsPerStep, rule.centsPerStep, rule.maxDiscountPercent],
  );
}

/**
 * Holds every loyalty projection still until the returned function is called, the way a projection rebuild does: a
 * transaction keeps the checkpoint rows locked, and the worker's processors skip a checkpoint they cannot lock.
 * Meanwhile new point events wait in the log, and a test can watch the dashboard say it is catching up.
 */
export async function holdLoyaltyProjections(): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT projection FROM loyalty_projection_checkpoints FOR UPDATE");
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

/** The demo shopper a journey may spend (prisma/seed/demo-data.ts): $90.00 and 250 points expiring soon. */
const PAT_EMAIL = "pat@unicorn.test";

/**
 * Pat as the seed makes him, for the tests after one that spent his money and points (every other journey with Pat
 * expects the seeded $90.00 and 250 points): the spent Pat is kept under another email, with all he did, and the
 * demo seed, which only adds what is missing, creates Pat afresh. The seed puts the per-customer purchase limits back,
 * which the e2e run lifts (scripts/e2e.sh), so they are lifted again.
 */
export async function seedPatAfresh(): Promise<void> {
  await database().query(`UPDATE customers SET email = $2 WHERE email = $1`, [PAT_EMAIL, `spent-pat-${Date.now()}@unicorn.test`]);
  await execFileAsync(process.execPath, ["--import", "tsx", "scripts/db/seed.ts"], { env: process.env });
  await database().query(`UPDATE products SET max_per_customer = NULL WHERE max_per_customer IS NOT NULL`);
}

/**
 * Holds every command to Loyalty (the points-commands queue of server/queues/points-commands-queue.ts) until the
 * returned function is called, as a Loyalty that is down would: the saga waits for its reply meanwhile.
 */
export async function holdPointsCommands(): Promise<() => Promise<void>> {
  const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/2", { maxRetriesPerRequest: null });
  const queue = new Queue("points-commands", { connection, prefix: queuePrefix("points-commands") });
  await queue.pause();
  return async () => {
    await queue.resume();
    await queue.close();
    await connection.quit();
  };
}
