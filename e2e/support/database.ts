import pg from "pg";

/**
 * Direct access to the e2e database, to ARRANGE what a test needs (stock, injected faults) — never to check results,
 * which tests read from the pages like a shopper would. scripts/e2e.sh exports DATABASE_URL for the e2e database.
 */

let pool: pg.Pool | undefined;

function database(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url || !/unicorn_retail_e2e/.test(url)) {
    throw new Error(
      `DATABASE_URL must point at an e2e database (got ${url ?? "nothing"}): run the e2e tests with scripts/e2e.sh.`,
    );
  }
  pool ??= new pg.Pool({ connectionString: url, max: 2 });
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
  step: "reserve-stock" | "debit-wallet" | "complete-order";
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
