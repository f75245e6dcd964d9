import { cookies } from "next/headers";
import { SESSION_COOKIE, sessionCookieOptions, tokenSession, type Session } from "./session";

/**
 * The session of the current request in Next (its route handler and server components). Server components cannot
 * set cookies, so there it can only be read; signing in and out happens through the HTTP API.
 */
export async function getCookieSession(): Promise<Session> {
  const store = await cookies();
  return tokenSession({
    read: () => store.get(SESSION_COOKIE)?.value,
    write: (token, maxAge) => store.set(SESSION_COOKIE, token, { ...sessionCookieOptions, maxAge }),
    clear: () => store.set(SESSION_COOKIE, "", { ...sessionCookieOptions, maxAge: 0 }),
  });
}
