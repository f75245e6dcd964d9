import { DomainError } from "@/server/errors";
import { sql, sqlPool } from "@/server/sql";
import { CUSTOMER_PROFILE_COLUMNS, normaliseEmail, type CustomerProfile } from "./customer";
import { verifyAgainstDecoy, verifyPassword } from "./passwords";

/** A password checked: whose, and the hash it matched (a session opens only while that hash is still theirs). */
export type CheckedPassword = { customer: CustomerProfile; passwordHash: string };

/** Checks an email and password. The error never says which of the two was wrong. */
export async function authenticateCustomer(options: { email: string; password: string }): Promise<CheckedPassword> {
  const [customer] = await sqlPool.rows<CustomerProfile & { password_hash: string }>(sql`
    SELECT ${CUSTOMER_PROFILE_COLUMNS}, password_hash FROM customers WHERE email = ${normaliseEmail(options.email)}`);
  const valid = customer
    ? await verifyPassword(customer.password_hash, options.password)
    : await verifyAgainstDecoy(options.password);
  if (!customer || !valid) {
    throw new DomainError("INVALID_CREDENTIALS", "That email and password don't match an account.");
  }
  const { password_hash: passwordHash, ...profile } = customer;
  return { customer: profile, passwordHash };
}
