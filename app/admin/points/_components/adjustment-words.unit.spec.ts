import { describe, expect, it } from "vitest";
import {
  adjustmentDone,
  adjustmentKeyFor,
  adjustmentOf,
  adjustmentQuestion,
  newAdjustmentKey,
  parseAdjustmentPoints,
} from "./adjustment-words";

const PAT = "pat@unicorn.test";

describe("points typed by an admin", () => {
  it("read gifts and deductions, however the minus sign was typed", () => {
    expect(parseAdjustmentPoints(" 40 ")).toEqual({ ok: true, points: 40 });
    expect(parseAdjustmentPoints("+40")).toEqual({ ok: true, points: 40 });
    expect(parseAdjustmentPoints("-15")).toEqual({ ok: true, points: -15 });
    expect(parseAdjustmentPoints("−15")).toEqual({ ok: true, points: -15 });
    expect(parseAdjustmentPoints("1,000")).toEqual({ ok: true, points: 1000 });
  });

  it("refuse what is not a whole number of points, and zero", () => {
    for (const text of ["", "forty", "4.5", "--3", "1e3"]) expect(parseAdjustmentPoints(text).ok, text).toBe(false);
    expect(parseAdjustmentPoints("-0")).toEqual({ ok: false, message: "Adjust by at least 1 point (negative to deduct)." });
  });
});

describe("the adjustment form", () => {
  it("asks the server once whom, how many and why are there, trimmed", () => {
    expect(adjustmentOf({ customerEmail: ` ${PAT} `, points: "40", reason: " Late delivery " })).toEqual({
      request: { customerEmail: PAT, points: 40, reason: "Late delivery" },
      errors: {},
    });
  });

  it("names each field still empty or unreadable", () => {
    expect(adjustmentOf({ customerEmail: " ", points: "lots", reason: "" })).toEqual({
      errors: {
        customerEmail: "Enter the customer's email.",
        points: "Enter a whole number of points, like 40, or -15 to deduct.",
        reason: "Say why the points are being adjusted.",
      },
    });
  });
});

describe("what the page says", () => {
  it("asks, then answers, in the direction of the change", () => {
    expect(adjustmentQuestion({ customerEmail: PAT, points: 40 })).toBe("Give 40 points to pat@unicorn.test?");
    expect(adjustmentQuestion({ customerEmail: PAT, points: -1 })).toBe("Take 1 point from pat@unicorn.test?");
    expect(adjustmentDone({ customerEmail: PAT, points: 40, repeated: false })).toBe("Gave 40 points to pat@unicorn.test.");
    expect(adjustmentDone({ customerEmail: PAT, points: -15, repeated: true })).toBe(
      "Took 15 points from pat@unicorn.test. An earlier try had already done it: nothing was done twice.",
    );
  });
});

describe("idempotency keys", () => {
  it("are fresh each time and accepted by the server's pattern", () => {
    const key = newAdjustmentKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{8,100}$/);
    expect(newAdjustmentKey()).not.toBe(key);
  });

  it("stay the same for the same request retried, and change with the request", () => {
    let next = 0;
    const newKey = () => `key-${++next}-abcdefgh`;
    const request = { customerEmail: PAT, points: 40, reason: "Late delivery" };
    const first = adjustmentKeyFor(null, request, newKey);
    expect(adjustmentKeyFor(first, { ...request }, newKey).key).toBe(first.key);
    expect(adjustmentKeyFor(first, { ...request, points: 41 }, newKey).key).not.toBe(first.key);
    expect(adjustmentKeyFor(first, { ...request, customerEmail: "ada@unicorn.test" }, newKey).key).not.toBe(first.key);
    // After a success the form forgets the key: the same request again is a second adjustment.
    expect(adjustmentKeyFor(null, request, newKey).key).not.toBe(first.key);
  });
});
