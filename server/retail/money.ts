/**
 * Money is always integer cents (USD). Floats never hold money: 0.1 + 0.2 is not 0.3.
 * Pure functions, shared by the server and the browser.
 */

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** 12000 → "$120.00"; -3000 → "-$30.00". */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`formatCents expects whole cents, got ${cents}`);
  return usd.format(cents / 100);
}

export type ParsedAmount = { ok: true; cents: number } | { ok: false; message: string };

/**
 * Reads an amount a person typed ("200", "$1,250.5", "19.99") into cents, without floating-point arithmetic.
 * Returns a message a person understands when it is not an amount of money.
 */
export function parseDollarsToCents(text: string): ParsedAmount {
  const cleaned = text.trim().replace(/^\$/, "").replaceAll(",", "");
  if (cleaned === "") return { ok: false, message: "Enter an amount." };
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) {
    return /^-/.test(cleaned)
      ? { ok: false, message: "Enter an amount greater than zero." }
      : { ok: false, message: "Enter an amount in dollars and cents, like 25 or 25.50." };
  }
  const dollars = Number(match[1]);
  const cents = Number((match[2] ?? "").padEnd(2, "0"));
  return { ok: true, cents: dollars * 100 + cents };
}

/** Percentage saved from list to sale price, rounded down so the shop never over-promises. */
export function discountPercent(listPriceCents: number, salePriceCents: number): number {
  if (listPriceCents <= 0 || salePriceCents >= listPriceCents) return 0;
  return Math.floor(((listPriceCents - salePriceCents) * 100) / listPriceCents);
}
