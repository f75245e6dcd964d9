/**
 * Run by server/saga/saga-await-reply.int.spec.ts in a process of its own, to be killed with kill -9 on the way: runs
 * one step job of the engine's test saga (server/testing/reply-test-saga.ts) with faults enabled, as a checkout worker
 * runs a step job, and prints how it ended (unless it was killed first).
 */
import { disconnectDb } from "@/server/db";
import { replyTestEngine, REPLY_TEST_SAGA_TYPE } from "@/server/testing/reply-test-saga";

async function main(sagaId: string, step: string, phase: "action" | "compensation") {
  const { engine } = replyTestEngine({ faultsEnabled: true });
  console.log("running");
  const outcome = await engine.runStepJob({ sagaId, sagaType: REPLY_TEST_SAGA_TYPE, step, phase });
  console.log(`outcome: ${outcome}`);
  await disconnectDb();
}

const [sagaId, step, phase] = process.argv.slice(2);
if (!sagaId || !step || (phase !== "action" && phase !== "compensation")) throw new Error("Usage: run-reply-test-step.ts <sagaId> <step> <phase>");
void main(sagaId, step, phase);
