/**
 * What the saga list's one search box was given, decided before any query runs. Pure (no imports): the filter schema
 * refuses what cannot be searched for with the message below, and list-sagas.ts turns each kind into index scans.
 *
 * The ids a person sees of one purchase are all its checkout's id (the saga shares it): in full on the checkout's
 * address, as 8 characters in the admin list (`83da3a7e`), and as the order number the shopper reads on the checkout,
 * order, orders list and wallet (`#83DA3A7E`, server/retail/orders/order-number.ts). The order's own id is in the
 * address of its page. So:
 *
 * 1. A leading `#` is dropped: it marks an order number, so what follows must be hex digits.
 * 2. Hex digits (dashes anywhere, any case): 32 of them are a full id (the saga's, its checkout's or its order's);
 *    6 to 31 are a prefix of one; more than 32, or fewer than 6 with a digit, a dash or the `#`, cannot be an id and
 *    are refused with a message. Hex letters alone shorter than 6 (`ada`, `bea`) may be a name: they are text.
 * 3. Anything else of at least 3 characters is text: part of a customer's email or of a product's name, any case
 *    (3, because a shorter fragment matches almost everything, and a trigram index needs 3).
 *
 * A hex word of 6 or more letters (`facade`) is taken as an id prefix, not as text: ids are what operators paste.
 */

/** The fewest hex digits searched for as an id prefix: 16^6 ≈ 17 million prefixes, so a prefix names one saga in a million. */
export const MIN_ID_PREFIX = 6;
/** The fewest characters searched for in emails and product names. */
export const MIN_TEXT = 3;

export type SagaSearch =
  /** A full id, lower case with dashes: the saga's (= its checkout's) or its order's. */
  | { kind: "id"; id: string }
  /** The first 6–31 hex digits of the saga's or its order's id, lower case, no dashes. */
  | { kind: "idPrefix"; prefix: string }
  /** Part of a customer's email or a product's name, lower case. */
  | { kind: "text"; text: string }
  /** Nothing can be searched for: why, in words for the operator. */
  | { kind: "invalid"; message: string };

const HEX_AND_DASHES = /^[0-9a-f-]+$/i;
const HEX_LETTERS = /^[a-f]+$/i;

export const TOO_SHORT_ID_MESSAGE = `Type at least ${MIN_ID_PREFIX} characters of an id or order number (such as 83da3a7e or #83DA3A7E).`;

/** Classifies a search string (already trimmed by the schema); see the rules above. */
export function classifySagaSearch(search: string): SagaSearch {
  const text = search.trim();
  const isOrderNumber = text.startsWith("#");
  const bare = isOrderNumber ? text.slice(1).trim() : text;
  if (HEX_AND_DASHES.test(bare)) {
    const hex = bare.replaceAll("-", "").toLowerCase();
    if (hex.length === 32) return { kind: "id", id: uuidOfHex(hex) };
    if (hex.length > 32) return { kind: "invalid", message: `An id has 32 hex digits; this has ${hex.length}.` };
    if (hex.length >= MIN_ID_PREFIX) return { kind: "idPrefix", prefix: hex };
    if (isOrderNumber || !HEX_LETTERS.test(bare)) return { kind: "invalid", message: TOO_SHORT_ID_MESSAGE };
  } else if (isOrderNumber) {
    return { kind: "invalid", message: "An order number is # and hex digits, such as #83DA3A7E." };
  }
  if (text.length < MIN_TEXT) {
    return { kind: "invalid", message: `Type at least ${MIN_TEXT} characters of an email or product name, or ${MIN_ID_PREFIX} of an id.` };
  }
  return { kind: "text", text: text.toLowerCase() };
}

/** `83da3a7e…` (32 hex digits) as `83da3a7e-…`, the form PostgreSQL prints. */
function uuidOfHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The ids starting with a prefix, as a range of uuids: `from` ≤ id < `before` (`before` is null when the prefix is all
 * `f`s: no upper bound). A range on the uuid itself is what the primary key's B-tree answers without a scan; uuids
 * compare as their 16 bytes, in the order of their hex digits.
 */
export function uuidRangeOfPrefix(prefix: string): { from: string; before: string | null } {
  const from = uuidOfHex(prefix.padEnd(32, "0"));
  const next = incrementHex(prefix);
  return { from, before: next === null ? null : uuidOfHex(next.padEnd(32, "0")) };
}

/** The next hex string of the same length (`83da3a7f` after `83da3a7e`), or null after `ffff…`. */
function incrementHex(hex: string): string | null {
  const digits = [...hex];
  for (let index = digits.length - 1; index >= 0; index--) {
    const value = Number.parseInt(digits[index]!, 16);
    if (value < 15) {
      digits[index] = (value + 1).toString(16);
      return digits.join("");
    }
    digits[index] = "0";
  }
  return null;
}
