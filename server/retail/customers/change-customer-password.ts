import { DomainError } from "@/server/errors";
import { inTransaction, sql, sqlPool } from "@/server/sql";
import { closeEveryCustomerSession } from "./customer-sessions";
import { refuseCommonPassword } from "./password-rules";
import { hashPassword, verifyPassword } from "./passwords";

/**
 * Changes a customer's password once their current one is given, and closes every session of theirs in the same
 * transaction: whoever holds a cookie from before the change is signed out. (The caller opens a fresh session for the
 * person who changed it.) A wrong current password is INVALID_CREDENTIALS on the field `current`.
 */
export async function changeCustomerPassword(options: { customerId: string; current: string; next: string }): Promise<void> {
  refuseCommonPassword({ password: options.next, field: "next" });
  const [customer] = await sqlPool.rows<{ password_hash: string }>(sql`
    SELECT password_hash FROM customers WHERE id = ${options.customerId}::uuid`);
  if (!customer) throw new DomainError("UNAUTHENTICATED", "Please sign in to continue.");
  if (!(await verifyPassword(customer.password_hash, options.current))) {
    throw new DomainError("INVALID_CREDENTIALS", "That is not your current password.", { field: "current" });
  }
  const passwordHash = await hashPassword(options.next);
  await inTransaction(async (tx) => {
    await tx.count(sql`UPDATE customers SET password_hash = ${passwordHash} WHERE id = ${options.customerId}::uuid`);
    await closeEveryCustomerSession({ customerId: options.customerId }, tx);
  });
}
