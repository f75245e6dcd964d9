import { sql, sqlPool } from "@/server/sql";

export type AuditEntry = {
  id: string;
  actorEmail: string;
  action: string;
  targetId: string | null;
  outcome: string;
  createdAt: Date;
};

/** The newest entries, optionally for one target (a saga's detail page shows its own) or of one action. */
export async function listAudit(options: { targetId?: string; action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  return sqlPool.rows<AuditEntry>(sql`
    SELECT id, actor_email AS "actorEmail", action, target_id AS "targetId", outcome, created_at AS "createdAt"
      FROM admin_audit_log
     WHERE (${options.targetId ?? null}::text IS NULL OR target_id = ${options.targetId ?? null})
       AND (${options.action ?? null}::text IS NULL OR action = ${options.action ?? null})
     ORDER BY created_at DESC LIMIT ${options.limit ?? 50}`);
}
