import type pg from "pg";
import { isFinished, zeroByStatus, type SagaStatus } from "@/server/saga/saga-status";
import type { InvariantResult } from "./report";

/** The checks over the shop's tables that both checkout benchmarks end with. */

/** How many sagas are in each status (every status, zero where none), in all, and still running or compensating. */
export async function sagasByStatus(client: pg.Client): Promise<{ byStatus: Record<SagaStatus, number>; total: number; active: number }> {
  const { rows } = await client.query<{ status: SagaStatus; count: string }>(
    "SELECT status::text, count(*) FROM saga_instances GROUP BY status ORDER BY status",
  );
  const byStatus = zeroByStatus();
  for (const row of rows) byStatus[row.status] = Number(row.count);
  const entries = Object.entries(byStatus) as [SagaStatus, number][];
  return {
    byStatus,
    total: entries.reduce((sum, [, count]) => sum + count, 0),
    active: entries.reduce((sum, [status, count]) => sum + (isFinished(status) ? 0 : count), 0),
  };
}

/** Every wallet's balance is the sum of its ledger, and debits − refunds = what the orders were paid (less points). */
export async function moneyInvariants(client: pg.Client): Promise<{ ledger: InvariantResult; money: InvariantResult }> {
  const { rows } = await client.query<{ debits: string; refunds: string; orders: string; bad_wallets: string }>(
    `SELECT (SELECT coalesce(-sum(amount_cents), 0) FROM wallet_entries WHERE kind = 'debit') AS debits,
            (SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries WHERE kind = 'refund') AS refunds,
            (SELECT coalesce(sum(paid_cents), 0) FROM orders) AS orders,
            (SELECT count(*) FROM wallets w WHERE w.balance_cents <>
               (SELECT coalesce(sum(amount_cents), 0) FROM wallet_entries e WHERE e.wallet_id = w.id)) AS bad_wallets`,
  );
  const money = rows[0] ?? { debits: "0", refunds: "0", orders: "0", bad_wallets: "0" };
  return {
    ledger: {
      name: "every wallet balance = the sum of its ledger",
      ok: Number(money.bad_wallets) === 0,
      detail: `${money.bad_wallets} wallets off`,
    },
    money: {
      name: "money: debits − refunds = what the orders were paid",
      ok: Number(money.debits) - Number(money.refunds) === Number(money.orders),
      detail: `${money.debits} − ${money.refunds} vs ${money.orders} cents`,
    },
  };
}
