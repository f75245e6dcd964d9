import { defineConfig, devices } from "@playwright/test";

// Driven by scripts/e2e.sh, which prepares the e2e database and builds the shop first.
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  // One server and one database: tests of different files run one at a time so none sees another's half-done state.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    // Playwright can't download its own browser on these machines; Debian's Chromium is installed by the scripts.
    launchOptions: { executablePath: "/usr/bin/chromium" },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"] } },
    { name: "phone", use: { ...devices["Pixel 7"] }, grep: /@phone/ },
  ],
  webServer: {
    // The shop's own web server, as `npm run shop` runs it: the API in front, Next for the pages.
    command: `node --import tsx server/http/serve.ts --port ${port}`,
    url: `http://localhost:${port}`,
    reuseExistingServer: false,
    // Test mode, like the checkout worker scripts/e2e.sh starts: the admin's flash-sale simulator exists only in test/demo.
    env: { SHOP_MODE: "test" },
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
