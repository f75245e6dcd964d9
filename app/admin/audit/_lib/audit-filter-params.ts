import "@/app/_lib/zod-in-the-browser";
import { auditCursorSchema, auditFilterFields, DATE_ORDER_MESSAGE, isBackwardsRange, type AuditCursor, type AuditFilter } from "@/server/admin/audit/audit-filter";

/**
 * The audit log's filters live in the address (`/admin/audit?actor=ada&action=retire-campaign-rule`), so a view can
 * be reloaded and sent to a colleague, and a rule or saga can link to its own lines. Times are ISO instants. Pure:
 * used by the page on the server and the filter form in the browser, with the API's own field schemas.
 */

/** Lines per page. */
export const AUDIT_PAGE_SIZE = 50;

export const AUDIT_FILTER_KEYS = ["actor", "action", "targetId", "from", "to"] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];

type RawParams = Record<string, string | string[] | undefined> | URLSearchParams;

function read(params: RawParams, key: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === null || text.trim() === "" ? undefined : text.trim();
}

export type ParsedAuditParams = {
  filter: AuditFilter;
  /** A message per parameter that cannot be used; when there is any, no list is shown (it would not be the one asked for). */
  errors: Partial<Record<AuditFilterKey, string>>;
  cursor: AuditCursor | null;
};

/** Reads the filter (and the page's cursor) from the address; each field is checked on its own, and then the range. */
export function auditParamsOf(params: RawParams): ParsedAuditParams {
  const filter: Record<string, unknown> = {};
  const errors: ParsedAuditParams["errors"] = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const text = read(params, key);
    if (text === undefined) continue;
    const parsed = auditFilterFields[key].safeParse(text);
    if (parsed.success) filter[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? "This value cannot be used.";
  }
  if (isBackwardsRange(filter as AuditFilter)) errors.to = DATE_ORDER_MESSAGE;
  return { filter: filter as AuditFilter, errors, cursor: cursorOf(read(params, "cursor")) };
}

/** "2026-12-06T10:00:00.000Z_<uuid>" → a cursor; anything else → the first page. */
function cursorOf(text: string | undefined): AuditCursor | null {
  if (!text) return null;
  const [createdAt, id] = text.split("_");
  const parsed = auditCursorSchema.safeParse({ createdAt, id });
  return parsed.success ? parsed.data : null;
}

/** The address of the log filtered so (and from `cursor` on); keys in a fixed order, so equal filters give equal links. */
export function auditHrefOf(filter: Partial<Record<AuditFilterKey, string | Date | undefined>>, cursor?: AuditCursor | null): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filter[key];
    if (value instanceof Date) params.set(key, value.toISOString());
    else if (value !== undefined && value.trim() !== "") params.set(key, value.trim());
  }
  if (cursor) params.set("cursor", `${cursor.createdAt.toISOString()}_${cursor.id}`);
  const query = params.toString();
  return query === "" ? "/admin/audit" : `/admin/audit?${query}`;
}
