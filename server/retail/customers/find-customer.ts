import { db } from "@/server/db";
import { customerProfileSelect, normaliseEmail, type CustomerProfile } from "./customer";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The profile behind a session, or null when the account no longer exists (or the id cannot be one). */
export async function findCustomer(options: { customerId: string }): Promise<CustomerProfile | null> {
  // A malformed id would make PostgreSQL reject the query; it simply names nobody.
  if (!UUID.test(options.customerId)) return null;
  return db.customer.findUnique({ where: { id: options.customerId }, select: customerProfileSelect });
}

/** The profile of the account with this email (compared case-insensitively), or null. */
export async function findCustomerByEmail(options: { email: string }): Promise<CustomerProfile | null> {
  return db.customer.findUnique({ where: { email: normaliseEmail(options.email) }, select: customerProfileSelect });
}
