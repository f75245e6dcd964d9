import { describe, expect, it } from "vitest";
import { hasToken } from "./metrics-endpoint";
import { withinDeadline } from "./scrape-figures";

describe("the metrics bearer token", () => {
  const token = "0123456789abcdef0123";
  it.each([
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`Bearer  ${token} `, true],
    [undefined, false],
    ["", false],
    ["Bearer", false],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(1)}`, false],
    [`Basic ${token}`, false],
    [token, false],
    [`Bearer ${token} ${token}`, false],
  ])("%s → %s", (authorization, expected) => {
    expect(hasToken(authorization, token)).toBe(expected);
  });
});

describe("a scrape's source that does not answer", () => {
  it("is given up on at its deadline, and a failing one at once", async () => {
    expect(await withinDeadline(new Promise(() => {}), 20)).toEqual({ ok: false });
    expect(await withinDeadline(Promise.reject(new Error("ECONNREFUSED")), 1_000)).toEqual({ ok: false });
    expect(await withinDeadline(Promise.resolve(3), 1_000)).toEqual({ ok: true, value: 3 });
  });
});
