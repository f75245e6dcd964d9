import { db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { customerProfileSelect, normaliseEmail, type CustomerProfile } from "./customer";
import { verifyAgainstDecoy, verifyPassword } from "./passwords";

/** Checks an email and password. The error never says which of the two was wrong. */
export async function authenticateCustomer(options: { email: string; password: string }): Promise<CustomerProfile> {
  const customer = await db.customer.findUnique({
    where: { email: normaliseEmail(options.email) },
    select: { ...customerProfileSelect, passwordHash: true },
  });
  const valid = customer
    ? await verifyPassword(customer.passwordHash, options.password)
    : await verifyAgainstDecoy(options.password);
  if (!customer || !valid) {
    throw new DomainError("INVALID_CREDENTIALS", "That email and password don't match an account.");
  }
  const { passwordHash: _hash, ...profile } = customer;
  return profile;
}
