import { joinSql, sql, sqlPool } from "@/server/sql";
import type { AuditCursor, AuditFilter } from "./audit-filter";
import type { AuditEntry } from "./list-audit";

export type AuditLine = AuditEntry & { details: Record<string, unknown> };
export type AuditPage = { entries: AuditLine[]; nextCursor: AuditCursor | null };

/** `%` and `_` typed into the actor box are letters, not wildcards. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of the whole audit log, newest first, keyset-paginated on (created_at, id) so a line written while someone
 * pages is neither skipped nor shown twice. The filter has been checked (audit-filter.ts) before it gets here.
 */
export async function listAuditPage(options: { filter: AuditFilter; cursor?: AuditCursor | null; limit: number }): Promise<AuditPage> {
  const { filter, cursor, limit } = options;
  const conditions = [
    filter.actor === undefined ? null : sql`actor_email ILIKE ${`%${likeEscaped(filter.actor)}%`}`,
    filter.action === undefined ? null : sql`action = ${filter.action}`,
    filter.targetId === undefined ? null : sql`target_id = ${filter.targetId}`,
    filter.from === undefined ? null : sql`created_at >= ${filter.from}::timestamptz`,
    filter.to === undefined ? null : sql`created_at < ${filter.to}::timestamptz`,
    cursor ? sql`(created_at, id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)` : null,
  ].filter((condition) => condition !== null);
  const rows = await sqlPool.rows<AuditLine>(sql`
    SELECT id, actor_email AS "actorEmail", action, target_id AS "targetId", outcome, details, created_at AS "createdAt"
      FROM admin_audit_log
     WHERE ${joinSql(conditions, " AND ", sql`true`)}
     ORDER BY created_at DESC, id DESC
     LIMIT ${limit + 1}`);
  const entries = rows.slice(0, limit);
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
