import { tokenSession, type Session } from "@/server/api/session";
import { openCustomerSession } from "@/server/retail/customers/customer-sessions";

/**
 * A test customer's cookie jar: holds the session token the API hands out, as a browser would, with a record of what
 * the API did with it (`writes`, `cleared`), so a test can tell a signed-in session from a signed-out one. Each request
 * gets a session of its own over it (`forRequest`), as each HTTP request does: sessions are real customer_sessions.
 */
export class MemorySession {
  token?: string;
  /** How many times the API gave this jar a token (sign-up, sign-in). */
  writes = 0;
  /** Whether the API took the token away (sign-out, or a session that no longer opens). */
  cleared = false;

  constructor(token?: string) {
    if (token !== undefined) this.token = token;
  }

  forRequest(): Session {
    return tokenSession({
      read: () => this.token,
      write: (token) => {
        this.token = token;
        this.writes += 1;
        this.cleared = false;
      },
      clear: () => {
        delete this.token;
        this.cleared = true;
      },
    });
  }

  /** Who the jar's token signs in now, as the API would see it. */
  customer() {
    return this.forRequest().customer();
  }
}

/** An empty jar: a visitor. */
export function createMemorySession(token?: string): MemorySession {
  return new MemorySession(token);
}

/** A jar already signed in as `customerId` (a session opened directly, without a password). */
export async function signedInMemorySession(customerId: string): Promise<MemorySession> {
  return new MemorySession((await openCustomerSession({ customerId })).token);
}
