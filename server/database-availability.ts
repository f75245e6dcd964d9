/**
 * What the web process knows right now about PostgreSQL being reachable, so that its pages answer 503 "try again"
 * at once while it is away (server/http/database-away-page.ts) instead of each waiting to fail with Next's 500.
 *
 * Learned from the pages themselves: a page whose render fails because PostgreSQL could not be reached reports it
 * (instrumentation.ts, Next's onRequestError), and the web server finds out that PostgreSQL is back with a cheap
 * `SELECT 1` of its own, at once and then every second while it fails. Nothing is checked while all is well.
 *
 * The state lives on globalThis, not in this module: the web process holds two copies of the server modules (Next's
 * bundle renders the pages and meets the outage; the server in front of Next, loaded by tsx, decides the status), and
 * both must read and write one state.
 */
type Availability = { away: boolean; troubleAt: number; onTrouble: (() => void) | undefined };

const KEY = Symbol.for("unicorn-retail.database-availability");
const holder = globalThis as { [KEY]?: Availability };
const state: Availability = (holder[KEY] ??= { away: false, troubleAt: 0, onTrouble: undefined });

/** A page failed because PostgreSQL could not be reached: pages fail fast until the web server finds it back. */
export function reportDatabaseUnavailable(): void {
  state.troubleAt = Date.now();
  state.away = true;
  state.onTrouble?.();
}

/** Whether PostgreSQL is known to be away right now (pages then fail at once, see app/_trpc/server.ts). */
export function isDatabaseKnownAway(): boolean {
  return state.away;
}

/** Whether PostgreSQL is away, or was reported away at or after `since` (ms since the epoch). */
export function databaseTroubleSince(since: number): boolean {
  return state.away || state.troubleAt >= since;
}

/**
 * Makes this process find out when PostgreSQL is back: after each report, `probe` runs at once and then every
 * `intervalMs` until it succeeds (one probe at a time). The web server calls this once, with its own pool.
 */
export function watchForDatabaseReturn(options: { probe: () => Promise<unknown>; intervalMs: number }): void {
  let probing = false;
  state.onTrouble = () => {
    if (probing) return;
    probing = true;
    void (async () => {
      while (state.away) {
        try {
          await options.probe();
          state.away = false;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, options.intervalMs).unref());
        }
      }
      probing = false;
    })();
  };
}

/** What a page throws instead of waiting on a database known to be away; it is answered 503 like the outage itself. */
export class DatabaseAwayError extends Error {
  constructor() {
    super("PostgreSQL is known to be away; not trying it for this page.");
    this.name = "DatabaseAwayError";
  }
}
