import type { SessionOptions } from "iron-session";
import { env } from "@/server/env";

/** What the session cookie carries: only who is signed in. Role and name are read fresh from PostgreSQL. */
export type SessionData = { customerId?: string };

/**
 * The parts of a session the API uses; iron-session's sealed cookie in the app, an in-memory one in tests. `destroy`
 * may finish later (the Node door reaches iron-session lazily): callers await it.
 */
export type Session = SessionData & { save(): Promise<void>; destroy(): void | Promise<void> };

/** One cookie for both doors into the API: Next's route handler and the shop's own HTTP server (server/http). */
export const sessionOptions: SessionOptions = {
  password: env.SESSION_SECRET,
  cookieName: "unicorn_session",
  ttl: 60 * 60 * 24 * 7,
  cookieOptions: {
    httpOnly: true,
    sameSite: "lax",
    // Browsers drop Secure cookies on plain http, so only set it where the shop is served over https.
    secure: env.APP_URL.startsWith("https://"),
    path: "/",
  },
};
