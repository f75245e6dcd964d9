import {
  completeOrderStepId,
  debitWalletStepId,
  redeemPointsStepId,
  reserveStockStepId,
  type CheckoutStepId,
} from "@/server/retail/checkout/checkout-steps";

/**
 * How the monitor names sagas and steps. The saga engine is generic; these words know the checkout saga (reserve
 * stock → debit wallet → complete order) and fall back to the engine's own names for anything else.
 */

/** "3f2a9c1b-…" → "3f2a9c1b": enough to tell sagas apart on a screen; the full id is in the link and the detail. */
export function shortSagaId(id: string): string {
  return id.slice(0, 8);
}

/** What undoing each checkout step means to a person (every step named; looked up by any saga's step name). */
const COMPENSATION_NAMES: Record<string, string> = {
  [reserveStockStepId]: "release stock",
  [redeemPointsStepId]: "restore points",
  [debitWalletStepId]: "refund",
  [completeOrderStepId]: "cancel order",
} satisfies Record<CheckoutStepId, string>;

/** "debit-wallet", "compensation" → "Undo debit-wallet: refund". */
export function stepRunName(step: string, phase: "action" | "compensation"): string {
  if (phase === "action") return step;
  const meaning = COMPENSATION_NAMES[step];
  return meaning ? `Undo ${step}: ${meaning}` : `Undo ${step}`;
}

/** Who a step that awaits a reply is waiting for (a step of another saga: "a reply"). */
const AWAITED_BY: Record<string, string> = { [redeemPointsStepId]: "Loyalty" };

export function awaitedBy(step: string): string {
  return AWAITED_BY[step] ?? "a reply";
}

/** 850 → "850 ms", 12_400 → "12.4 s", 192_000 → "3 min 12 s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** 1, "saga" → "1 saga"; 2, "saga" → "2 sagas"; 1200 → "1,200 sagas" (the last word takes the plural). */
export function countOf(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : `${noun}s`}`;
}
