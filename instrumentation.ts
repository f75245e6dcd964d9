/**
 * Runs once when the Next.js server boots: validate the environment now, so a misconfigured deployment stops with a
 * message naming the variable instead of failing inside the first customer's request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("@/server/env");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
