import { pointsCommandSchema } from "@/server/contracts/checkout-points-messages";
import { defineQueue } from "./define-queue";

/**
 * Commands from Retail's checkout saga to Loyalty (server/contracts/checkout-points-messages.ts), fed by Retail's
 * outbox relay (job id = outbox event id) and consumed by the loyalty workers. Delivery is at least once; Loyalty
 * handles each command once per checkout, and a command's job completes only after its reply is on the reply
 * queue, so a worker that dies in between handles it again and sends the same reply.
 */
export const pointsCommandsQueue = defineQueue({
  name: "points-commands",
  jobs: { "points-command": pointsCommandSchema },
  defaultJobOptions: {
    attempts: 10,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { age: 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  },
});
