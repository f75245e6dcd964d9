import "@/app/_lib/zod-in-the-browser";
import { sagaListFilterSchema, type SagaListFilter } from "@/server/admin/sagas/saga-list-filter";

/**
 * The saga list's filters live in the address (`/admin/sagas?status=needs_attention&search=ada@unicorn.test`), so a
 * filtered view can be reloaded, bookmarked and sent to a colleague. Times are ISO instants: the same moment for every
 * reader, whatever their time zone. Pure: used by the page on the server and the filter form in the browser.
 */

/** Sagas per page of the list. */
export const SAGA_PAGE_SIZE = 25;

export const FILTER_KEYS = ["status", "sagaType", "customerId", "from", "to", "search"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** What a page receives as `searchParams`, or the browser's URLSearchParams. */
type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

function read(params: RawParams, key: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === null || text.trim() === "" ? undefined : text.trim();
}

/** What each field of the form holds: what was typed (a time as its instant once it reads as one). */
export type FilterValues = Partial<Record<FilterKey, string | Date>>;

export type ParsedSagaFilter = {
  /** What can be used of the filter; not to be listed while there are errors (a list would look filtered). */
  filter: SagaListFilter;
  /** A message per parameter that could not be used: the list is refused until they are fixed. */
  errors: Partial<Record<FilterKey, string>>;
  /** What was typed in every field, usable or not, for the form to show back. */
  values: FilterValues;
};

/**
 * Reads the filter from the address; each field is checked on its own (so each error is said beside its own field),
 * then the whole filter (an end before the start), with the very schema the API checks it with.
 */
export function filterFromParams(params: RawParams): ParsedSagaFilter {
  const filter: Record<string, unknown> = {};
  const errors: ParsedSagaFilter["errors"] = {};
  const values: FilterValues = {};
  for (const key of FILTER_KEYS) {
    const text = read(params, key);
    if (text === undefined) continue;
    const parsed = sagaListFilterSchema.shape[key].safeParse(text);
    if (parsed.success) filter[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "This value cannot be used.";
    values[key] = parsed.success && parsed.data instanceof Date ? parsed.data : text;
  }
  const whole = sagaListFilterSchema.safeParse(filter);
  for (const issue of whole.success ? [] : whole.error.issues) {
    const key = FILTER_KEYS.find((name) => name === issue.path[0]);
    if (key && !errors[key]) errors[key] = issue.message;
  }
  return { filter: filter as SagaListFilter, errors, values };
}

/** True when some field could not be used: the list is not shown (nor acted on) until it is fixed. */
export function isRefused(errors: ParsedSagaFilter["errors"]): boolean {
  return Object.keys(errors).length > 0;
}

/** The address query for a filter ("" when there is none); fields in a fixed order, so equal filters give equal links. */
export function queryOfFilter(filter: Partial<Record<FilterKey, string | Date | undefined>>): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value instanceof Date) params.set(key, value.toISOString());
    else if (value !== undefined && value.trim() !== "") params.set(key, value.trim());
  }
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

/** True when any filter is set (or, for the form's values, typed). */
export function isFiltered(filter: SagaListFilter | FilterValues): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== undefined);
}
