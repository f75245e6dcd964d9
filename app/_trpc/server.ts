import "server-only";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { getCookieSession } from "@/server/api/next-session";
import { createContext } from "@/server/api/trpc";
import { DatabaseAwayError, isDatabaseKnownAway } from "@/server/database-availability";

/**
 * The API for server components: same procedures, no HTTP hop. One caller per request. Server components cannot set
 * cookies, so the session is read-only here; signing in and out happens through the HTTP API.
 */
export const getApi = cache(async () => {
  // While PostgreSQL is known to be away, a page fails at once (answered 503, see server/database-availability.ts)
  // instead of waiting for its first statement to fail.
  if (isDatabaseKnownAway()) throw new DatabaseAwayError();
  const session = await getCookieSession();
  const readOnlySession = { customer: session.customer, signIn: async () => {}, signOut: async () => {} };
  return createCaller(createContext({ session: readOnlySession }));
});

/** The signed-in customer for this request, or null. */
export const getSignedInCustomer = cache(async () => (await getApi()).auth.me());
