import { sql, sqlPool } from "@/server/sql";
import { CUSTOMER_PROFILE_COLUMNS, normaliseEmail, type CustomerProfile } from "./customer";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The profile behind a session, or null when the account no longer exists (or the id cannot be one). Every signed-in
 * request asks this, so it is one prepared statement.
 */
export async function findCustomer(options: { customerId: string }): Promise<CustomerProfile | null> {
  // A malformed id would make PostgreSQL reject the query; it simply names nobody.
  if (!UUID.test(options.customerId)) return null;
  const [customer] = await sqlPool.rows<CustomerProfile>(sql`
    SELECT ${CUSTOMER_PROFILE_COLUMNS} FROM customers WHERE id = ${options.customerId}::uuid`);
  return customer ?? null;
}

/** The profile of the account with this email (compared case-insensitively), or null. */
export async function findCustomerByEmail(options: { email: string }): Promise<CustomerProfile | null> {
  const [customer] = await sqlPool.rows<CustomerProfile>(sql`
    SELECT ${CUSTOMER_PROFILE_COLUMNS} FROM customers WHERE email = ${normaliseEmail(options.email)}`);
  return customer ?? null;
}
