import { z } from "zod";

/**
 * What every input schema (server/api/routers/*.schema.ts, and the domain's schemas they reuse) asks of values that
 * reach PostgreSQL, so that no input can make a statement fail: text PostgreSQL can store, instants inside the range
 * of its `timestamptz`, and whole numbers inside its `integer`. An input outside is refused with a message (HTTP 400),
 * never a 500 from deep in a query.
 */

/** PostgreSQL's `integer`: a larger number in a parameter cast to `int` fails the statement. */
export const MAX_INT32 = 2_147_483_647;

/** A NUL character, or half of a surrogate pair without its other half: neither can be stored as UTF-8 text. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for text PostgreSQL can store: no NUL, no lone surrogate. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

export const UNSTORABLE_TEXT_MESSAGE = "This text contains characters we cannot accept (such as NUL or a broken emoji).";

/** The one refinement every free-text input field gets: `z.string().trim().max(100).refine(...storableText)`. */
export const storableText = [isStorableText, UNSTORABLE_TEXT_MESSAGE] as const;

/**
 * The instants the shop accepts: from 1900 until the end of 9999 — every date anyone means, well inside both
 * JavaScript's and PostgreSQL's ranges (a year of -200000 is neither).
 */
export const EARLIEST_INSTANT = new Date("1900-01-01T00:00:00Z");
export const LATEST_INSTANT = new Date("9999-12-31T23:59:59.999Z");

export function isSaneInstant(instant: Date): boolean {
  const t = instant.getTime();
  return t >= EARLIEST_INSTANT.getTime() && t <= LATEST_INSTANT.getTime();
}

export const INSTANT_RANGE_MESSAGE = "Give a date between the years 1900 and 9999.";

/** A date and time given as a Date (superjson), an ISO string or a number, within the sane range. */
export function saneInstant(message: string) {
  return z.coerce.date({ error: message }).refine(isSaneInstant, INSTANT_RANGE_MESSAGE);
}
