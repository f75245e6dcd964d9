import { db } from "@/server/db";
import { customerProfileSelect, type CustomerProfile } from "./customer";

/** The profile behind a session, or null when the account no longer exists. */
export function findCustomer(options: { customerId: string }): Promise<CustomerProfile | null> {
  return db.customer.findUnique({ where: { id: options.customerId }, select: customerProfileSelect });
}
