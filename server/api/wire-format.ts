import superjson from "superjson";

/**
 * The API's output transformer: superjson, the wire format clients decode, with a fast path for answers that are
 * plain JSON already. superjson walks every answer to note what JSON cannot carry (dates, undefined, NaN, Maps…) and
 * answers `{ json }` without `meta` when it found nothing; most answers (a checkout's status, a sold-out refusal, the
 * catalog) are exactly that, and finding it out is a tenth of their CPU. `plainJson` checks the same thing in one
 * cheaper pass and gives superjson everything else, so what goes on the wire is byte for byte what superjson sends
 * (wire-format.unit.spec.ts compares them).
 */
export const outputTransformer = {
  serialize(value: unknown) {
    return isPlainJson(value) ? { json: value } : superjson.serialize(value as never);
  },
  deserialize: superjson.deserialize,
};

/** Deeper than this is left to superjson (it copes with any depth; this only keeps the check's recursion short). */
const MAX_DEPTH = 32;
/** Keys superjson refuses (prototype pollution): left to superjson, which throws as it always did. */
const REFUSED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * True when superjson would send `value` as it is, with no annotation: null, booleans, strings, finite numbers other
 * than -0, and arrays (without holes) and plain objects of those, every property defined, no object twice (superjson
 * notes shared references). Pure.
 */
export function isPlainJson(value: unknown): boolean {
  return isPlainJsonWithin(value, 0, new Set());
}

function isPlainJsonWithin(value: unknown, depth: number, seen: Set<object>): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth >= MAX_DEPTH || seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          if (!(index in value) || !isPlainJsonWithin(value[index], depth + 1, seen)) return false;
        }
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        if (REFUSED_KEYS.has(key) || !isPlainJsonWithin((value as Record<string, unknown>)[key], depth + 1, seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
