import { describe, expect, it } from "vitest";
import { discountPercent, formatCents, parseDollarsToCents } from "./money";

describe("formatCents", () => {
  it.each([
    [12000, "$120.00"],
    [0, "$0.00"],
    [5, "$0.05"],
    [99, "$0.99"],
    [100000000, "$1,000,000.00"],
    [-3000, "-$30.00"],
  ])("%i cents reads %s", (cents, expected) => {
    expect(formatCents(cents)).toBe(expected);
  });

  it("refuses fractional cents rather than rounding money silently", () => {
    expect(() => formatCents(10.5)).toThrow(RangeError);
  });
});

describe("parseDollarsToCents", () => {
  it.each([
    ["200", 20000],
    ["$200", 20000],
    ["19.99", 1999],
    ["0.1", 10],
    ["1,250.50", 125050],
    ["  7.05 ", 705],
    ["0.29", 29], // 0.29 * 100 is 28.999999999999996 in floating point
  ])("%s → %i cents", (text, cents) => {
    expect(parseDollarsToCents(text)).toEqual({ ok: true, cents });
  });

  it.each([
    ["", "Enter an amount."],
    ["-5", "Enter an amount greater than zero."],
    ["1.234", "Enter an amount in dollars and cents, like 25 or 25.50."],
    ["abc", "Enter an amount in dollars and cents, like 25 or 25.50."],
    ["1e5", "Enter an amount in dollars and cents, like 25 or 25.50."],
  ])("%j is refused with %j", (text, message) => {
    expect(parseDollarsToCents(text)).toEqual({ ok: false, message });
  });
});

describe("discountPercent", () => {
  it("is 50 for the Classic Unicorn's Cyber Monday price", () => {
    expect(discountPercent(24000, 12000)).toBe(50);
  });
  it("rounds down", () => {
    expect(discountPercent(3000, 1999)).toBe(33);
  });
  it("is 0 when there is no discount", () => {
    expect(discountPercent(1000, 1000)).toBe(0);
  });
});
