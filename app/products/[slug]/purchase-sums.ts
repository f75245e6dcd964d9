import { formatCents } from "@/server/retail/money";
import { MIN_TOP_UP_CENTS } from "@/server/retail/wallet/wallet-limits";

/**
 * The sums and addresses behind the product page's Buy form, pure: what the wallet pays after the points, how short
 * it is, and the Top up round trip (to the wallet with the shortfall filled in, and back with the choice kept).
 */

export type BuyChoice = { quantity: number; points: number };

/** What the wallet pays: the price less what the points take off, never below nothing. */
export function toPayCents(priceCents: number, discountCents: number): number {
  return Math.max(0, priceCents - discountCents);
}

/** How much more the wallet needs to pay `toPay` (0 when it has enough). */
export function shortfallCents(toPay: number, balanceCents: number): number {
  return Math.max(0, toPay - balanceCents);
}

/** What "Top up" fills in: the shortfall, or the smallest top-up the wallet takes when that is less. */
export function topUpAmountFor(shortfall: number): number {
  return Math.max(shortfall, MIN_TOP_UP_CENTS);
}

/** This product's page with the shopper's choice, to come back to after topping up. */
export function productPathWithChoice(productPath: string, choice: BuyChoice): string {
  const query = new URLSearchParams();
  if (choice.quantity > 1) query.set("quantity", String(choice.quantity));
  if (choice.points > 0) query.set("points", String(choice.points));
  const search = query.toString();
  return search ? `${productPath}?${search}` : productPath;
}

/** The wallet page with `amountCents` filled in, sending the shopper back to `back` once the top-up went through. */
export function topUpPathFor(amountCents: number, back: string): string {
  return `/wallet?${new URLSearchParams({ amount: (amountCents / 100).toFixed(2), next: back })}`;
}

/** The choice a returning shopper made (`?quantity=2&points=250`); anything unreadable is no choice. */
export function choiceInSearch(search: string): Partial<BuyChoice> {
  const query = new URLSearchParams(search);
  const whole = (name: string, max: number) => {
    const text = query.get(name);
    if (!text || !/^\d{1,9}$/.test(text)) return undefined;
    const value = Number(text);
    return value >= 1 && value <= max ? value : undefined;
  };
  const quantity = whole("quantity", 1_000);
  const points = whole("points", 1_000_000_000);
  return { ...(quantity ? { quantity } : {}), ...(points ? { points } : {}) };
}

/** "You're $17.50 short." / "" under the wallet's balance. */
export function shortfallText(shortfall: number): string {
  return shortfall > 0 ? `You're ${formatCents(shortfall)} short.` : "";
}
