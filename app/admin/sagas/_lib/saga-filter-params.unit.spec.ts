import { describe, expect, it } from "vitest";
import { filterFromParams, isFiltered, isRefused, queryOfFilter } from "./saga-filter-params";

const CUSTOMER = "1f0c6e7a-5b1d-4c2e-9a3b-6d7e8f901234";

describe("filterFromParams", () => {
  it("reads every filter from the address, times as instants", () => {
    const { filter, errors } = filterFromParams(
      new URLSearchParams(
        `status=needs_attention&sagaType=checkout&customerId=${CUSTOMER}&from=2026-11-30T10:00:00.000Z&to=2026-11-30T11:00:00.000Z&search=ada@unicorn.test`,
      ),
    );
    expect(errors).toEqual({});
    expect(filter).toEqual({
      status: "needs_attention",
      sagaType: "checkout",
      customerId: CUSTOMER,
      from: new Date("2026-11-30T10:00:00.000Z"),
      to: new Date("2026-11-30T11:00:00.000Z"),
      search: "ada@unicorn.test",
    });
  });

  it("leaves out what it cannot use and says why, keeping what was typed in every field", () => {
    const { filter, errors, values } = filterFromParams({ status: "lost", customerId: "pat@unicorn.test", from: "yesterday", search: " pat " });
    expect(filter).toEqual({ search: "pat" });
    expect(errors).toEqual({
      status: "Pick one of the saga statuses.",
      customerId: "That is not a customer id (it looks like 3f2a9c1b-…). To find a customer by email, use Search.",
      from: "Give the start as a date and time.",
    });
    expect(values).toEqual({ status: "lost", customerId: "pat@unicorn.test", from: "yesterday", search: "pat" });
    expect(isRefused(errors)).toBe(true);
  });

  it("refuses a range that ends before it starts, keeping both times to show back", () => {
    const from = new Date("2026-11-30T11:00:00Z");
    const to = new Date("2026-11-30T10:00:00Z");
    const { errors, values } = filterFromParams({ from: from.toISOString(), to: to.toISOString() });
    expect(errors).toEqual({ to: "The end must be after the start." });
    expect(values).toEqual({ from, to });
  });

  it("refuses a search that cannot be one, saying why", () => {
    const { errors, values } = filterFromParams({ search: "83da3" });
    expect(errors.search).toMatch(/at least 6 characters of an id/);
    expect(values).toEqual({ search: "83da3" });
    expect(isRefused(filterFromParams({ search: "83da3a" }).errors)).toBe(false);
  });

  it("ignores empty and repeated parameters sensibly", () => {
    expect(filterFromParams({ status: "", search: ["first", "second"] }).filter).toEqual({ search: "first" });
  });
});

describe("queryOfFilter", () => {
  it("writes the filter back in a fixed order, skipping empty fields", () => {
    expect(queryOfFilter({ search: " ada ", status: "running", sagaType: "", from: new Date("2026-11-30T10:00:00Z") })).toBe(
      "?status=running&from=2026-11-30T10%3A00%3A00.000Z&search=ada",
    );
    expect(queryOfFilter({})).toBe("");
  });

  it("round-trips through filterFromParams", () => {
    const filter = { status: "compensated" as const, customerId: CUSTOMER, to: new Date("2026-12-01T00:00:00Z") };
    expect(filterFromParams(new URLSearchParams(queryOfFilter(filter))).filter).toEqual(filter);
    expect(isFiltered(filter)).toBe(true);
    expect(isFiltered({})).toBe(false);
  });
});
