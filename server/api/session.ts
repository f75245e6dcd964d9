import type { CustomerProfile } from "@/server/retail/customers/customer";
import {
  closeCustomerSession,
  findSessionCustomer,
  openCustomerSession,
  SESSION_LIFETIME_SECONDS,
} from "@/server/retail/customers/customer-sessions";
import { env } from "@/server/env";

/** The session as the API sees it, whatever carries its token: a cookie at either door, memory in tests. */
export type Session = {
  /** The signed-in customer, asked of PostgreSQL once per request; null for a visitor or a session that opens nothing. */
  customer(): Promise<CustomerProfile | null>;
  /**
   * Signs `customerId` in with a new session (the one this request carried, if any, is closed first); with the
   * `passwordHash` just checked, only while it is still theirs (openCustomerSession).
   */
  signIn(customerId: string, checked?: { passwordHash: string }): Promise<void>;
  /** Closes this session: its token opens nothing any more, here or anywhere it was copied to. */
  signOut(): Promise<void>;
};

/** Where a session's token lives between requests. */
export type TokenJar = {
  read(): string | undefined;
  write(token: string, maxAgeSeconds: number): void;
  clear(): void;
};

/** One cookie for both doors into the API: Next's route handler and the shop's own HTTP server (server/http). */
export const SESSION_COOKIE = "unicorn_session";
export const sessionCookieOptions = {
  httpOnly: true,
  sameSite: "lax",
  // Browsers drop Secure cookies on plain http, so only set it where the shop is served over https.
  secure: env.APP_URL.startsWith("https://"),
  path: "/",
} as const;

/** A session over a token jar, backed by customer_sessions (server/retail/customers/customer-sessions.ts). */
export function tokenSession(jar: TokenJar): Session {
  let customer: Promise<CustomerProfile | null> | undefined;
  return {
    customer() {
      const token = jar.read();
      customer ??= token ? findSessionCustomer({ token }) : Promise.resolve(null);
      return customer;
    },
    async signIn(customerId, checked) {
      // A new token at every sign-in: a token planted before it (session fixation) never becomes a signed-in one.
      const earlier = jar.read();
      if (earlier) await closeCustomerSession({ token: earlier });
      const { token } = await openCustomerSession({ customerId, passwordHash: checked?.passwordHash });
      jar.write(token, SESSION_LIFETIME_SECONDS);
      customer = undefined;
    },
    async signOut() {
      const token = jar.read();
      customer = Promise.resolve(null);
      if (!token) return;
      await closeCustomerSession({ token });
      jar.clear();
    },
  };
}
