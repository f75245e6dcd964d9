import type { Instrumentation } from "next";
import { reportDatabaseUnavailable } from "./server/database-availability";
import { isDatabaseUnavailable } from "./server/database-unavailable";

/**
 * Runs once when the Next.js server boots. The Node-only part lives in its own module so the Edge build never sees
 * Node APIs.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./server/check-env-at-boot")).checkEnvAtBoot();
}

/**
 * Every error of a page's render reaches here with its cause (the browser only gets a digest). One that means
 * PostgreSQL could not be reached is reported at once, before Next answers, so that the web server answers 503
 * instead of Next's 500 (server/http/database-away-page.ts) and the next pages fail at once until PostgreSQL is back.
 * Both imports are plain logic, safe in either runtime.
 */
export const onRequestError: Instrumentation.onRequestError = (error) => {
  if (isDatabaseUnavailable(error)) reportDatabaseUnavailable();
};
