import { disconnectDb } from "@/server/db";
import { closeProducerConnection } from "@/server/queues/connections";
import { closeQueues } from "@/server/queues/define-queue";
import { obliterateCheckoutQueues } from "./checkout-flow";
import { stopAllCheckoutWorkers } from "./checkout-workers";
import { truncateShop } from "./database";

/** Before a checkout test file: an empty shop and empty checkout queues. */
export async function openCheckoutSuite(): Promise<void> {
  await truncateShop();
  await obliterateCheckoutQueues();
}

/** After a checkout test file: its worker processes stopped cleanly, then this process's connections closed. */
export async function closeCheckoutSuite(): Promise<void> {
  await stopAllCheckoutWorkers();
  await closeQueues();
  await closeProducerConnection();
  await disconnectDb();
}
