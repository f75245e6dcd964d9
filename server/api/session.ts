import { getIronSession } from "iron-session";
import { cookies } from "next/headers";
import { sessionOptions, type SessionData } from "./session-options";

/** The encrypted, signed session cookie of the current request (route handlers and server components). */
export async function getCookieSession() {
  return getIronSession<SessionData>(await cookies(), sessionOptions);
}
