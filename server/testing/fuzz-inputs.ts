import fc from "fast-check";

/**
 * Generated inputs for fuzzing procedures (server/api/routers/every-procedure-fuzz.int.spec.ts): what a careless or
 * hostile client could send — wrong types, huge and tiny numbers, NUL and lone surrogates, extreme dates, deep and
 * huge values — shaped by the procedure's own input schema, so that values reach the fields (and the queries behind
 * them) rather than being refused for their shape alone.
 */

/** What a zod schema says about its input's shape: every key of every object in it, and every literal or enum value. */
export type SchemaHints = { keys: string[]; literals: (string | number | boolean)[] };

/** Reads the hints out of zod schemas (zod 4's `_zod.def`), however nested: objects, unions, pipes, wrappers. */
export function schemaHints(schemas: readonly unknown[]): SchemaHints {
  const keys = new Set<string>();
  const literals = new Set<string | number | boolean>();
  const seen = new Set<unknown>();
  const visit = (schema: unknown) => {
    if (!schema || typeof schema !== "object" || seen.has(schema)) return;
    seen.add(schema);
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.type === "object" && def.shape && typeof def.shape === "object") {
      for (const [key, child] of Object.entries(def.shape)) {
        keys.add(key);
        visit(child);
      }
    }
    if (def.type === "enum" && def.entries && typeof def.entries === "object") {
      for (const value of Object.values(def.entries)) if (isPrimitive(value)) literals.add(value);
    }
    if (def.type === "literal" && Array.isArray(def.values)) {
      for (const value of def.values) if (isPrimitive(value)) literals.add(value);
    }
    for (const field of ["innerType", "in", "out", "element", "keyType", "valueType", "left", "right", "catchall"]) visit(def[field]);
    for (const field of ["options", "items"]) if (Array.isArray(def[field])) for (const child of def[field]) visit(child);
  };
  for (const schema of schemas) visit(schema);
  return { keys: [...keys], literals: [...literals] };
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "x\u0000y",
  "\uD800",
  "\uDFFF",
  "a\uD83Eb",
  "\uDE84 lone low half",
  "\u202Eevil",
  "%00",
  "' OR 1=1 --",
  "\\",
  "$1",
  "-200000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.001Z",
  "0000-01-01T00:00:00Z",
  "2026-02-30T25:61:61Z",
  "1e400",
  "NaN",
  "-Infinity",
  "2147483648",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "x".repeat(300),
  "🦄".repeat(60),
];

const HOSTILE_NUMBERS = [
  2_147_483_647,
  2_147_483_648,
  -2_147_483_648,
  -2_147_483_649,
  3_000_000_000,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MAX_VALUE,
  1e-300,
  -0,
  0,
  1,
  -1,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const EXTREME_DATES = [
  new Date(-8.64e15),
  new Date(8.64e15),
  new Date("-200000-01-01T00:00:00Z"),
  new Date("-000001-01-01T00:00:00Z"),
  new Date("0000-01-01T00:00:00Z"),
  new Date("1899-12-31T23:59:59.999Z"),
  new Date("+010000-01-01T00:00:00Z"),
  new Date(0),
].filter((date) => !Number.isNaN(date.getTime()));

/**
 * A value nested `depth` times: `[[[…]]]`, or `{key: {key: …}}` with a key of the schema's. It describes itself in
 * a line (fast-check's report of a counterexample would otherwise recurse as deep as it goes).
 */
function nested(depth: number, key: string | undefined): unknown {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = key === undefined ? [value] : { [key]: value };
  return describedAs(value as object, `<${key === undefined ? "arrays" : `{${key}: …}`} nested ${depth} deep>`);
}

/** A value that fast-check and the test's messages print as `description` (JSON on the wire is unchanged). */
export function describedAs<T extends object>(value: T, description: string): T {
  return Object.defineProperty(value, fc.toStringMethod, { value: () => description, enumerable: false });
}

type ZodDef = Record<string, unknown> & { type?: string; checks?: { _zod?: { def?: Record<string, unknown> } }[] };
const defOf = (schema: unknown): ZodDef | undefined => (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;

/** The bounds and pattern a string or number schema checks (zod 4 keeps them as checks on its definition). */
function checksOf(def: ZodDef): { pattern?: RegExp; min?: number; max?: number; integer: boolean } {
  const found: { pattern?: RegExp; min?: number; max?: number; integer: boolean } = { integer: false };
  if (def.pattern instanceof RegExp) found.pattern = def.pattern;
  for (const check of def.checks ?? []) {
    const c = check._zod?.def ?? {};
    if (c.check === "string_format" && c.pattern instanceof RegExp) found.pattern ??= c.pattern;
    if (c.check === "min_length" && typeof c.minimum === "number") found.min = c.minimum;
    if (c.check === "max_length" && typeof c.maximum === "number") found.max = c.maximum;
    if (c.check === "greater_than" && typeof c.value === "number") found.min = c.value;
    if (c.check === "less_than" && typeof c.value === "number") found.max = c.value;
    if (c.check === "number_format" && (c.format === "safeint" || c.format === "int32")) found.integer = true;
  }
  return found;
}

/**
 * An input shaped as the schema asks — each field mostly a value it accepts, now and then a hostile one — so that one
 * bad field among good ones reaches the procedure (a NUL in a name next to a valid email and password).
 */
export function schemaShaped(schema: unknown, hostile: fc.Arbitrary<unknown>, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (!def || depth > 8) return hostile;
  const field = (child: unknown) => fc.oneof({ weight: 3, arbitrary: schemaShaped(child, hostile, depth + 1) }, { weight: 1, arbitrary: hostile });
  const inner = (key: string) => schemaShaped(def[key], hostile, depth + 1);
  switch (def.type) {
    case "object": {
      const shape = (def.shape ?? {}) as Record<string, unknown>;
      return fc.record(Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, field(child)])), { requiredKeys: [] });
    }
    case "string": {
      const { pattern, min, max } = checksOf(def);
      const valid = pattern
        ? fc.stringMatching(pattern, { size: "small" })
        : fc.string({ minLength: Math.min(min ?? 0, 20), maxLength: Math.min(max ?? 30, 30) });
      // The text it accepts, and the same with what PostgreSQL cannot store slipped in.
      return fc.oneof(
        { weight: 3, arbitrary: valid },
        { weight: 1, arbitrary: valid.map((text) => `${text}\u0000`) },
        { weight: 1, arbitrary: valid.map((text) => `\uD83E${text}`) },
      );
    }
    case "number": {
      const { min, max, integer } = checksOf(def);
      const low = Math.max(min ?? -1_000_000, -2_000_000_000);
      const high = Math.min(max ?? 1_000_000, 2_000_000_000);
      const valid = integer ? fc.integer({ min: Math.ceil(low), max: Math.floor(high) }) : fc.double({ min: low, max: high, noNaN: true });
      // Within its bounds, or just past them, or past PostgreSQL's integer.
      return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(low - 1, high + 1, 2 ** 31, -(2 ** 31) - 1, 3e9) });
    }
    case "boolean":
      return fc.boolean();
    case "date":
      return fc.oneof(
        { weight: 3, arbitrary: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }) },
        { weight: 1, arbitrary: fc.constantFrom(...EXTREME_DATES) },
        { weight: 1, arbitrary: fc.constantFrom(...EXTREME_DATES).map((date) => date.toISOString()) },
      );
    case "enum":
      return fc.constantFrom(...Object.values((def.entries ?? { none: "none" }) as Record<string, unknown>));
    case "literal":
      return fc.constantFrom(...((def.values as unknown[] | undefined) ?? [null]));
    case "optional":
    case "default":
    case "prefault":
      return fc.oneof(inner("innerType"), fc.constant(undefined));
    case "nullable":
      return fc.oneof(inner("innerType"), fc.constant(null));
    case "readonly":
    case "nonoptional":
    case "catch":
      return inner("innerType");
    case "pipe":
      // `z.string().trim().pipe(z.email())`: the format is on the way out.
      return fc.oneof(inner("in"), inner("out"));
    case "union":
      return fc.oneof(...((def.options as unknown[] | undefined) ?? []).map((option) => schemaShaped(option, hostile, depth + 1)), hostile);
    case "array":
      return fc.array(inner("element"), { maxLength: 3 });
    default:
      return hostile;
  }
}

/**
 * Any input for a procedure whose schemas gave `hints` (and whose input schemas are `schemas`). Every value is one
 * superjson can put on the wire.
 */
export function fuzzInput(hints: SchemaHints, schemas: readonly unknown[] = []): fc.Arbitrary<unknown> {
  const knownKey = hints.keys.length > 0 ? fc.constantFrom(...hints.keys) : fc.string({ maxLength: 8 });
  const text = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.emailAddress().map((email) => `${email}\u0000`) },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()) },
    { weight: 1, arbitrary: fc.constantFrom(...EXTREME_DATES).map((date) => date.toISOString()) },
  );
  const number = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 2, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: 30 }) },
    { weight: 1, arbitrary: fc.maxSafeInteger() },
  );
  const leaf = fc.oneof(
    { weight: 5, arbitrary: text },
    { weight: 4, arbitrary: number },
    { weight: 2, arbitrary: hints.literals.length > 0 ? fc.constantFrom(...hints.literals) : fc.constant("literal") },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
    { weight: 2, arbitrary: fc.oneof(fc.date({ noInvalidDate: true }), fc.constantFrom(...EXTREME_DATES)) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
    { weight: 1, arbitrary: fc.constantFrom(new Map([["a", 1]]), new Set([1, "two"]), /re(g)ex/g) },
  );
  const { value } = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[] }>((tie) => ({
    value: fc.oneof({ depthSize: "small", maxDepth: 4 }, leaf, tie("object"), tie("array")),
    object: fc.dictionary(fc.oneof({ weight: 5, arbitrary: knownKey }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), tie("value"), {
      maxKeys: 6,
    }),
    array: fc.array(tie("value"), { maxLength: 4 }),
  }));
  const huge = fc.oneof(
    fc.constant("a".repeat(20_000)),
    fc.constant("\u0000".repeat(5_000)),
    fc.constant(Array.from({ length: 3_000 }, (_, index) => index)),
    fc.constant(Object.fromEntries(Array.from({ length: 2_000 }, (_, index) => [`key${index}`, index]))),
    // Deeper than this superjson itself cannot write (the spec sends deeper JSON as raw bodies).
    fc.tuple(fc.integer({ min: 50, max: 800 }), fc.option(knownKey, { nil: undefined })).map(([depth, key]) => nested(depth, key)),
    fc.tuple(knownKey, fc.integer({ min: 50, max: 800 })).map(([key, depth]) => describedAs({ [key]: nested(depth, key) }, `{${key}: <nested ${depth} deep>}`)),
  );
  // Mostly an object with the schema's keys, whose values may be objects with its keys again (cursors, filters).
  const shaped = fc.dictionary(knownKey, value, { minKeys: 1, maxKeys: Math.max(1, hints.keys.length + 1) });
  const fromSchema = schemas.length > 0 ? schemaShaped(schemas[schemas.length - 1], fc.oneof(leaf, value)) : value;
  return fc.oneof(
    { weight: 8, arbitrary: fromSchema },
    { weight: 6, arbitrary: shaped },
    { weight: 2, arbitrary: value },
    { weight: 1, arbitrary: huge },
  );
}
