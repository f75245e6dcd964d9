import { DomainError } from "@/server/errors";
import { inTransaction, sql, sqlPool } from "@/server/sql";
import { closeEveryCustomerSession } from "./customer-sessions";
import { refuseCommonPassword } from "./password-rules";
import { hashPassword, verifyPassword } from "./passwords";

/**
 * Changes a customer's password once their current one is given, and closes every session of theirs in the same
 * transaction: whoever holds a cookie from before the change is signed out. (The caller opens a fresh session for the
 * person who changed it, with the new hash returned here.) A wrong current password is INVALID_CREDENTIALS on the field
 * `current`; so is one that was right when checked but changed by someone else before this change was written (the
 * update only replaces the hash that was checked).
 */
export async function changeCustomerPassword(options: { customerId: string; current: string; next: string }): Promise<{ passwordHash: string }> {
  refuseCommonPassword({ password: options.next, field: "next" });
  const [customer] = await sqlPool.rows<{ password_hash: string }>(sql`
    SELECT password_hash FROM customers WHERE id = ${options.customerId}::uuid`);
  if (!customer) throw new DomainError("UNAUTHENTICATED", "Please sign in to continue.");
  if (!(await verifyPassword(customer.password_hash, options.current))) {
    throw new DomainError("INVALID_CREDENTIALS", "That is not your current password.", { field: "current" });
  }
  const passwordHash = await hashPassword(options.next);
  const changed = await inTransaction(async (tx) => {
    const updated = await tx.count(sql`
      UPDATE customers SET password_hash = ${passwordHash} WHERE id = ${options.customerId}::uuid AND password_hash = ${customer.password_hash}`);
    if (updated === 1) await closeEveryCustomerSession({ customerId: options.customerId }, tx);
    return updated === 1;
  });
  if (!changed) throw new DomainError("INVALID_CREDENTIALS", "That is not your current password.", { field: "current" });
  return { passwordHash };
}
