import "server-only";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/app/_lib/safe-redirect";
import { getSignedInCustomer } from "@/app/_trpc/server";

/**
 * Where the sign-in and sign-up pages send the person afterwards: their `?next=` if it is a path on this site, else
 * the shop's front page. Someone already signed in goes straight there.
 */
export async function destinationAfterAuth(next: string | string[] | undefined): Promise<string> {
  const destination = safeRedirectPath(typeof next === "string" ? next : undefined);
  if (await getSignedInCustomer()) redirect(destination);
  return destination;
}
