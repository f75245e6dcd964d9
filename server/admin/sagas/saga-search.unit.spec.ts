import { describe, expect, it } from "vitest";
import { orderNumberOfCheckout } from "@/server/retail/orders/order-number";
import { classifySagaSearch, uuidRangeOfPrefix } from "./saga-search";

const ID = "83da3a7e-5b1d-4c2e-9a3b-6d7e8f901234";

describe("classifySagaSearch", () => {
  it("reads a full id in any case, with or without dashes", () => {
    for (const search of [ID, ID.toUpperCase(), ID.replaceAll("-", ""), ID.replaceAll("-", "").toUpperCase(), ` ${ID} `]) {
      expect(classifySagaSearch(search), search).toEqual({ kind: "id", id: ID });
    }
  });

  it("reads 6 to 31 hex digits as a prefix: the list's 8 characters, the shopper's order number with or without #", () => {
    expect(orderNumberOfCheckout(ID)).toBe("#83DA3A7E");
    for (const search of ["83da3a7e", "83DA3A7E", "#83DA3A7E", "# 83da3a7e", "83da3a", "83da3a7e-5b1d", "83DA3A7E5B1D4C2E9A3B6D7E8F90123"]) {
      expect(classifySagaSearch(search).kind, search).toBe("idPrefix");
    }
    expect(classifySagaSearch("#83DA3A7E")).toEqual({ kind: "idPrefix", prefix: "83da3a7e" });
    expect(classifySagaSearch("83da3a7e-5B1D")).toEqual({ kind: "idPrefix", prefix: "83da3a7e5b1d" });
  });

  it("refuses fewer than 6 hex digits when they can only be an id, and more than 32", () => {
    for (const search of ["83da3", "#83DA", "12345", "8-3d", "#abc"]) {
      expect(classifySagaSearch(search), search).toEqual({ kind: "invalid", message: expect.stringMatching(/at least 6 characters of an id/) });
    }
    expect(classifySagaSearch(`${ID}0`)).toEqual({ kind: "invalid", message: "An id has 32 hex digits; this has 33." });
    for (const search of ["#pat", "#"]) {
      expect(classifySagaSearch(search), search).toEqual({ kind: "invalid", message: expect.stringMatching(/An order number is # and hex digits/) });
    }
  });

  it("reads anything else of 3 characters or more as part of an email or a product name, lower case", () => {
    expect(classifySagaSearch("pat")).toEqual({ kind: "text", text: "pat" });
    expect(classifySagaSearch("Pat@Unicorn.test")).toEqual({ kind: "text", text: "pat@unicorn.test" });
    expect(classifySagaSearch("Aurora Unicorn")).toEqual({ kind: "text", text: "aurora unicorn" });
    // Hex letters alone, too short for an id, may be a name.
    expect(classifySagaSearch("ada")).toEqual({ kind: "text", text: "ada" });
    expect(classifySagaSearch("Bea")).toEqual({ kind: "text", text: "bea" });
    expect(classifySagaSearch("pa")).toEqual({ kind: "invalid", message: expect.stringMatching(/at least 3 characters of an email or product name/) });
  });
});

describe("uuidRangeOfPrefix", () => {
  it("is the uuids from the prefix padded with 0s up to, not including, the next prefix", () => {
    expect(uuidRangeOfPrefix("83da3a7e")).toEqual({ from: "83da3a7e-0000-0000-0000-000000000000", before: "83da3a7f-0000-0000-0000-000000000000" });
    expect(uuidRangeOfPrefix("83da3f")).toEqual({ from: "83da3f00-0000-0000-0000-000000000000", before: "83da4000-0000-0000-0000-000000000000" });
    expect(uuidRangeOfPrefix("83da3a7e5b1")).toEqual({ from: "83da3a7e-5b10-0000-0000-000000000000", before: "83da3a7e-5b20-0000-0000-000000000000" });
  });

  it("has no upper bound after the last prefix", () => {
    expect(uuidRangeOfPrefix("ffffff")).toEqual({ from: "ffffff00-0000-0000-0000-000000000000", before: null });
  });

  it("holds exactly the ids starting with the prefix, compared as PostgreSQL compares uuids (by their hex digits)", () => {
    const { from, before } = uuidRangeOfPrefix("83da3a");
    for (const id of [ID, "83da3a00-0000-0000-0000-000000000000", "83da3aff-ffff-ffff-ffff-ffffffffffff"]) {
      expect(id >= from && id < before!, id).toBe(true);
    }
    for (const id of ["83da39ff-ffff-ffff-ffff-ffffffffffff", "83da3b00-0000-0000-0000-000000000000"]) {
      expect(id >= from && id < before!, id).toBe(false);
    }
  });
});
