import type { AuditFilter } from "./audit-filter";
import { listAuditPage, type AuditLine } from "./list-audit-page";

export type AuditEntry = {
  id: string;
  actorEmail: string;
  action: string;
  targetId: string | null;
  outcome: string;
  createdAt: Date;
};

/**
 * The newest entries, optionally for one target (a saga's detail page shows its own), of one action, by an actor or
 * in a time range: the first page of listAuditPage, as a bare list (what `admin.audit.list` has always answered).
 */
export async function listAudit(options: AuditFilter & { limit?: number } = {}): Promise<AuditLine[]> {
  const { limit = 50, ...filter } = options;
  return (await listAuditPage({ filter, limit })).entries;
}
