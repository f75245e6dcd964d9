import type { Session } from "@/server/api/session-options";

/**
 * A session kept in memory, for tests: the same shape the API sees from iron-session's cookie, with a record of what
 * the API did to it (`saves`, `destroyed`), so a test can tell a signed-in session from a signed-out one.
 */
export class MemorySession implements Session {
  customerId?: string;
  /** How many times the API persisted the session. */
  saves = 0;
  /** Whether the API ended the session (sign-out, or a session whose account is gone). */
  destroyed = false;

  constructor(initial: { customerId?: string } = {}) {
    if (initial.customerId !== undefined) this.customerId = initial.customerId;
  }

  async save(): Promise<void> {
    this.saves += 1;
    this.destroyed = false;
  }

  destroy(): void {
    delete this.customerId;
    this.destroyed = true;
  }
}

export function createMemorySession(initial: { customerId?: string } = {}): MemorySession {
  return new MemorySession(initial);
}
