import pg from "pg";
import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { readStockLevels, sameStockLevels, type StockLevels } from "@/server/retail/catalog/stock-levels";

/**
 * The web process's live view of the stock: one PostgreSQL connection LISTENs on `stock_changed` (a trigger on
 * inventory notifies on every commit that moves stock, see the stock_notifications migration), and each notification
 * reads the levels again from the table. Open product and catalog pages follow it (`catalog.onStock`).
 *
 * The notification only says "read again": the table stays the truth, so a notification lost while the connection
 * was down cannot leave a page wrong for long. While anyone watches, the levels are also read once a second
 * whatever happens, and at once after the listening connection comes back.
 */
const RESYNC_EVERY_MS = 1_000;
const RECONNECT_AFTER_MS = 1_000;

type Listener = (levels: StockLevels) => void;

const listeners = new Set<Listener>();
let latest: StockLevels | null = null;
let listening: pg.Client | null = null;
let resync: NodeJS.Timeout | null = null;
let reading: Promise<void> | null = null;
let readAgain = false;

/** Calls `listener` with the levels now, then each time they change, until the returned function is called. */
export function watchStockLevels(listener: Listener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) startWatching();
  if (latest) listener(latest);
  else void refresh();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stopWatching();
  };
}

function startWatching() {
  resync = setInterval(() => void refresh(), RESYNC_EVERY_MS);
  resync.unref();
  void listen();
}

function stopWatching() {
  if (resync) clearInterval(resync);
  resync = null;
  latest = null;
  const client = listening;
  listening = null;
  void client?.end().catch(() => {});
}

async function listen() {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  listening = client;
  client.on("notification", () => void refresh());
  client.on("error", (error) => {
    void client.end().catch(() => {});
    // A connection closed on purpose (nobody watches any more) is no loss.
    if (listening !== client) return;
    logger.warn({ err: error }, "Lost the stock notifications connection; reading stock once a second until it is back");
    listening = null;
    setTimeout(() => listeners.size > 0 && !listening && void listen(), RECONNECT_AFTER_MS).unref();
  });
  try {
    await client.connect();
    await client.query("LISTEN stock_changed");
    // Whatever changed while nobody listened.
    void refresh();
  } catch (error) {
    client.emit("error", error);
  }
}

/** Reads the levels, one read at a time: changes arriving meanwhile are picked up by one more read after it. */
function refresh(): Promise<void> {
  if (reading) {
    readAgain = true;
    return reading;
  }
  reading = (async () => {
    do {
      readAgain = false;
      try {
        const levels = await readStockLevels();
        if (listeners.size === 0) return;
        const changed = !latest || !sameStockLevels(latest, levels);
        latest = levels;
        if (changed) for (const listener of listeners) listener(levels);
      } catch (error) {
        logger.warn({ err: error }, "Could not read the stock levels; trying again");
      }
    } while (readAgain);
  })().finally(() => {
    reading = null;
  });
  return reading;
}
