import { disconnectDb } from "@/server/db";
import { rebuildProjections } from "@/server/loyalty/projections/rebuild-projections";

/**
 * `npm run loyalty:rebuild`: replays every point event into fresh read models and swaps them in. Safe while the shop
 * runs: the loyalty workers' projection processors wait, then carry on from the rebuild's checkpoint.
 */
async function main() {
  const started = Date.now();
  let lastPrinted = 0;
  console.log("Rebuilding the loyalty projections from the event log…");
  const { eventsApplied } = await rebuildProjections({
    onProgress: ({ eventsApplied: applied, eventsInLog }) => {
      if (Date.now() - lastPrinted < 1_000) return;
      lastPrinted = Date.now();
      const share = eventsInLog > 0 ? Math.min(100, Math.round((applied / eventsInLog) * 100)) : 100;
      console.log(`  ${applied.toLocaleString("en-US")} of ~${eventsInLog.toLocaleString("en-US")} events replayed (${share} %)`);
    },
  });
  const seconds = ((Date.now() - started) / 1_000).toFixed(1);
  console.log(`✓ Rebuilt balances, lots and history from ${eventsApplied.toLocaleString("en-US")} events in ${seconds} s.`);
}

main()
  .catch((error: unknown) => {
    console.error(`Rebuild failed (the live read models are unchanged): ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(disconnectDb);
