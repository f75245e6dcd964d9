import "server-only";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { getCookieSession } from "@/server/api/next-session";
import { createContext } from "@/server/api/trpc";

/**
 * The API for server components: same procedures, no HTTP hop. One caller per request. Server components cannot set
 * cookies, so the session is read-only here; signing in and out happens through the HTTP API.
 */
export const getApi = cache(async () => {
  const session = await getCookieSession();
  const readOnlySession = { customer: session.customer, signIn: async () => {}, signOut: async () => {} };
  return createCaller(createContext({ session: readOnlySession }));
});

/** The signed-in customer for this request, or null. */
export const getSignedInCustomer = cache(async () => (await getApi()).auth.me());
