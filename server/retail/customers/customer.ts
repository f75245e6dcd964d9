import type { CustomerRole } from "@/server/generated/prisma/enums";

/** What the rest of the shop knows about a signed-in person. Never includes the password hash. */
export type CustomerProfile = {
  id: string;
  email: string;
  name: string;
  role: CustomerRole;
};

export const customerProfileSelect = { id: true, email: true, name: true, role: true } as const;

/** Emails are compared case-insensitively; stored lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
