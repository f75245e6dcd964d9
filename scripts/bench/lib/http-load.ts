import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { round } from "./report";

/**
 * A closed loop of HTTP requests at one address (N keep-alive connections, each sending its next request as soon as
 * the last is answered) for a while, with autocannon's programmatic API; wrk.ts does the same with wrk. Both say how
 * many answers had another status than the one expected.
 */

/** In a body template, replaced by a new key for every request (an idempotency key must not repeat). */
export const FRESH_KEY = "FRESH_IDEMPOTENCY_KEY";

export type LoadTarget = {
  port: number;
  method: "GET" | "POST";
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  /** Sent with every request, FRESH_KEY replaced each time. */
  bodyTemplate?: string;
  expectedStatus: number;
};

export type LoadOptions = { connections: number; durationS: number; onProgress?: (answers: number) => void };

export type LoadResult = {
  tool: "autocannon" | "wrk";
  /** Answers received. */
  requests: number;
  /** Requests sent: the answers and those still in the server's hands when the run ended (autocannon; wrk: answers). */
  requestsSent: number;
  seconds: number;
  requestsPerSecond: number | null;
  latencyMs: { p50: number | null; p99: number | null };
  /** Answers with another status than the expected one, by status. */
  unexpectedStatuses: Record<string, number>;
  /** Connection errors and timeouts: requests that got no answer. */
  socketErrors: number;
};

/** The body of one request: the template with a new key in it. */
export function freshBody(template: string, key = randomUUID()): string {
  return template.replaceAll(FRESH_KEY, key);
}

/** Runs autocannon at `target` for `durationS` seconds over `connections` connections. */
export async function runAutocannon(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const template = target.bodyTemplate;
  const request: autocannon.Request = {
    method: target.method,
    path: target.path,
    headers: { ...target.headers, ...(template ? { "content-type": "application/json" } : {}) },
    // A fixed body would repeat its idempotency key: setupRequest builds each request afresh.
    ...(template ? { setupRequest: (built: autocannon.Request) => ({ ...built, body: freshBody(template) }) } : {}),
  };
  const instance = autocannon({
    url: `http://127.0.0.1:${target.port}`,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    requests: [request],
  });
  let answers = 0;
  instance.on("response", () => {
    answers += 1;
  });
  const ticker = options.onProgress ? setInterval(() => options.onProgress?.(answers), 250) : undefined;
  try {
    const result = await instance;
    const unexpectedStatuses = Object.fromEntries(
      Object.entries(result.statusCodeStats)
        .filter(([status]) => Number(status) !== target.expectedStatus)
        .map(([status, { count }]) => [status, count]),
    );
    return {
      tool: "autocannon",
      requests: result.requests.total,
      requestsSent: result.requests.sent,
      seconds: result.duration,
      requestsPerSecond: round(result.duration > 0 ? result.requests.total / result.duration : null),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      unexpectedStatuses,
      socketErrors: result.errors,
    };
  } finally {
    clearInterval(ticker);
  }
}

/** Answers that were not the expected status, plus requests without an answer. */
export function errorCount(result: LoadResult): number {
  return Object.values(result.unexpectedStatuses).reduce((sum, count) => sum + count, 0) + result.socketErrors;
}
