import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { isPlainJson, outputTransformer } from "./wire-format";

/** What goes on the wire: the transformer's output as JSON text, or the error it throws. */
function wire(serialize: (value: unknown) => unknown, value: unknown): string {
  try {
    return JSON.stringify(serialize(value));
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

const superjsonWire = (value: unknown) => wire((input) => superjson.serialize(input as never), value);
const ourWire = (value: unknown) => wire(outputTransformer.serialize, value);

describe("the API's output transformer", () => {
  it("sends byte for byte what superjson sends, for any value", () => {
    const anything = fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withBoxedValues: true,
      withObjectString: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    fc.assert(
      fc.property(anything, (value) => {
        expect(ourWire(value)).toBe(superjsonWire(value));
      }),
      { numRuns: 3_000 },
    );
  });

  it("sends a checkout's status as it is: plain JSON needs no annotation", () => {
    const status = { checkoutId: "a", status: "completed", steps: [{ step: "reserve-stock", attempts: 1 }], amountCents: 12_000, orderId: null };
    expect(isPlainJson(status)).toBe(true);
    expect(outputTransformer.serialize(status)).toEqual({ json: status });
    expect(ourWire(status)).toBe(superjsonWire(status));
  });

  it("leaves to superjson everything JSON cannot carry as it is", () => {
    const shared = { a: 1 };
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const values = [
      { at: new Date(0) },
      { missing: undefined },
      [1, , 3],
      { n: Number.NaN },
      { n: -0 },
      { n: Number.POSITIVE_INFINITY },
      { twice: [shared, shared] },
      circular,
      { big: 10n },
      { map: new Map([["k", 1]]) },
      new (class Point {
        x = 1;
      })(),
      JSON.parse('{"__proto__": {"polluted": true}}'),
      { constructor: 1 },
    ];
    for (const value of values) {
      expect(isPlainJson(value), superjsonWire(value)).toBe(false);
      expect(ourWire(value)).toBe(superjsonWire(value));
    }
  });

  it("reads back what it sends", () => {
    const value = { when: new Date("2026-12-07T00:00:00Z"), plain: [1, "two", null, true] };
    expect(outputTransformer.deserialize(outputTransformer.serialize(value) as never)).toEqual(value);
  });
});
