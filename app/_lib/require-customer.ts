import "server-only";
import { redirect } from "next/navigation";
import { signInPathFor } from "@/app/_lib/safe-redirect";
import { getSignedInCustomer } from "@/app/_trpc/server";

/**
 * A shopper's own page's guard: a visitor is sent to sign in and back to `path`. The API checks the same on every
 * call; this only spares the visitor an error.
 */
export async function requireCustomer(path: string) {
  const customer = await getSignedInCustomer();
  if (!customer) redirect(signInPathFor(path));
  return customer;
}
