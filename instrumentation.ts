/**
 * Runs once when the Next.js server boots. The Node-only part lives in its own module so the Edge build never sees
 * Node APIs.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./server/check-env-at-boot")).checkEnvAtBoot();
}
