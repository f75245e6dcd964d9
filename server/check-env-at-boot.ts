/**
 * Validates the environment as the web server boots, so a misconfigured deployment stops with a message naming the
 * variable instead of failing inside the first customer's request.
 */
export async function checkEnvAtBoot(): Promise<void> {
  try {
    await import("@/server/env");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
