// Writes .env.local for the demo the first time the shop runs: the local service URLs, so a production-mode server can
// start with no configuration. Never committed.
import { existsSync, writeFileSync } from "node:fs";

const file = new URL("../.env.local", import.meta.url);
if (existsSync(file)) {
  console.log("✓ Using the settings in .env.local");
} else {
  const lines = [
    "# Written by scripts/ensure-env-file.mjs for the local demo. Variables already set in the environment win.",
    "DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/unicorn_retail",
    "REDIS_URL=redis://127.0.0.1:6379/0",
    "APP_URL=http://localhost:3000",
    "# demo: operators may inject faults to show compensation; use normal in production.",
    "SHOP_MODE=demo",
  ];
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  console.log("✓ Wrote .env.local with local settings");
}
