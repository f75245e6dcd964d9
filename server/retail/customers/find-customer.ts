import { sql, sqlPool } from "@/server/sql";
import { CUSTOMER_PROFILE_COLUMNS, normaliseEmail, type CustomerProfile } from "./customer";

/** The profile of the account with this email (compared case-insensitively), or null. */
export async function findCustomerByEmail(options: { email: string }): Promise<CustomerProfile | null> {
  const [customer] = await sqlPool.rows<CustomerProfile>(sql`
    SELECT ${CUSTOMER_PROFILE_COLUMNS} FROM customers WHERE email = ${normaliseEmail(options.email)}`);
  return customer ?? null;
}
