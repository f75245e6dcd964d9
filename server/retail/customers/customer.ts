import type { CustomerRole } from "@/server/generated/prisma/enums";
import { sql } from "@/server/sql-query";

/** What the rest of the shop knows about a signed-in person. Never includes the password hash. */
export type CustomerProfile = {
  id: string;
  email: string;
  name: string;
  role: CustomerRole;
};

/** The columns of `customers` that make a CustomerProfile: every query of a profile selects exactly these. */
export const CUSTOMER_PROFILE_COLUMNS = sql`id, email, name, role::text AS role`;

/** Emails are compared case-insensitively; stored lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
