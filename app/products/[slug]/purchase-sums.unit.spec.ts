import { describe, expect, it } from "vitest";
import { parsePoints } from "@/app/_lib/parse-points";
import {
  choiceInSearch,
  productPathWithChoice,
  shortfallCents,
  shortfallText,
  toPayCents,
  topUpAmountFor,
  topUpPathFor,
} from "./purchase-sums";

describe("what the wallet pays and how short it is", () => {
  it("Pat: $120.00 less $12.50 of points is $107.50, $17.50 more than his $90.00", () => {
    const toPay = toPayCents(12_000, 1_250);
    expect(toPay).toBe(10_750);
    expect(shortfallCents(toPay, 9_000)).toBe(1_750);
    expect(shortfallText(1_750)).toBe("You're $17.50 short.");
  });

  it("is never below nothing, and never short with enough", () => {
    expect(toPayCents(1_000, 5_000)).toBe(0);
    expect(shortfallCents(10_750, 10_750)).toBe(0);
    expect(shortfallText(0)).toBe("");
  });

  it("tops up the shortfall, or the smallest top-up the wallet takes", () => {
    expect(topUpAmountFor(1_750)).toBe(1_750);
    expect(topUpAmountFor(40)).toBe(100);
  });
});

describe("the Top up round trip", () => {
  it("goes to the wallet with the amount filled in and this page, with the choice, to come back to", () => {
    const back = productPathWithChoice("/products/classic-unicorn", { quantity: 1, points: 250 });
    expect(back).toBe("/products/classic-unicorn?points=250");
    expect(topUpPathFor(1_750, back)).toBe("/wallet?amount=17.50&next=%2Fproducts%2Fclassic-unicorn%3Fpoints%3D250");
    expect(productPathWithChoice("/products/pocket-unicorn", { quantity: 3, points: 0 })).toBe("/products/pocket-unicorn?quantity=3");
    expect(productPathWithChoice("/products/pocket-unicorn", { quantity: 1, points: 0 })).toBe("/products/pocket-unicorn");
  });

  it("reads the choice back, and nothing it cannot read", () => {
    expect(choiceInSearch("?quantity=2&points=250")).toEqual({ quantity: 2, points: 250 });
    expect(choiceInSearch("")).toEqual({});
    expect(choiceInSearch("?quantity=0&points=-5")).toEqual({});
    expect(choiceInSearch("?quantity=1.5&points=ten")).toEqual({});
    expect(choiceInSearch("?points=99999999999")).toEqual({});
  });
});

describe("parsePoints", () => {
  it("reads whole numbers of points, with or without thousands separators", () => {
    expect(parsePoints("250")).toEqual({ ok: true, points: 250 });
    expect(parsePoints(" 1,000 ")).toEqual({ ok: true, points: 1_000 });
  });

  it.each(["ten", "-5", "1.5", "", "1e3", "9999999999"])("refuses %j with a message", (text) => {
    expect(parsePoints(text)).toEqual({ ok: false, message: "Enter a whole number of points, like 50." });
  });
});
