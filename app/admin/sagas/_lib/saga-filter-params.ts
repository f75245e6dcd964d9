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

export type ParsedSagaFilter = {
  filter: SagaListFilter;
  /** A message per parameter that could not be used (it is left out of the filter, not silently widened). */
  errors: Partial<Record<FilterKey, string>>;
};

/** Reads the filter from the address; each field is checked on its own, so one bad value does not drop the rest. */
export function filterFromParams(params: RawParams): ParsedSagaFilter {
  const filter: Record<string, unknown> = {};
  const errors: ParsedSagaFilter["errors"] = {};
  for (const key of FILTER_KEYS) {
    const text = read(params, key);
    if (text === undefined) continue;
    const parsed = sagaListFilterSchema.shape[key].safeParse(text);
    if (parsed.success) filter[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "This value cannot be used.";
  }
  if (filter.from instanceof Date && filter.to instanceof Date && filter.to <= filter.from) {
    errors.to = "The end must be after the start.";
    delete filter.to;
  }
  return { filter: filter as SagaListFilter, errors };
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

/** True when any filter is set. */
export function isFiltered(filter: SagaListFilter): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== undefined);
}
