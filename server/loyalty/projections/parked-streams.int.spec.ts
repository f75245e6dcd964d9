import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { disconnectDb } from "@/server/db";
import { sql, sqlPool } from "@/server/sql";
import { truncateShop } from "@/server/testing/database";
import { readModelsInTables, readWholeLog, replayReadModels } from "@/server/testing/loyalty-replay";
import { curePoison, earnPoints, poisonBalancesOf } from "@/server/testing/poisoned-projection";
import { listParkedStreams } from "./parked-streams";
import { projectPointEvents } from "./project-point-events";
import { projectionLags } from "./projection-checkpoints";
import { rebuildProjections } from "./rebuild-projections";
import { retryParkedStream } from "./retry-parked-stream";

async function checkpointOf(projection: string): Promise<string> {
  const lags = await projectionLags(sqlPool);
  return lags.find((lag) => lag.projection === projection)!.checkpoint.position;
}

async function newestPosition(): Promise<string> {
  const [row] = await sqlPool.rows<{ position: string }>(sql`SELECT max(position)::text AS position FROM loyalty_point_events`);
  return row!.position;
}

beforeEach(truncateShop);
afterEach(curePoison);
afterAll(disconnectDb);

describe("a projection that cannot apply one customer's event", () => {
  it("parks that stream with the error, projects everyone else's and moves on; a retry after the fix equals a replay", async () => {
    const [poisoned, other, third] = [randomUUID(), randomUUID(), randomUUID()];
    await earnPoints(other, 10);
    await poisonBalancesOf(poisoned);
    await earnPoints(poisoned, 20);
    await earnPoints(third, 30);
    await earnPoints(poisoned, 40);

    await projectPointEvents();
    await earnPoints(other, 50); // after the park: still projected
    await earnPoints(poisoned, 60); // the parked customer's later event: passed over with the rest of the stream
    await projectPointEvents();

    const parked = await listParkedStreams(sqlPool);
    expect(parked).toEqual([
      expect.objectContaining({ projection: "available-balance", customerId: poisoned, error: "poisoned balance" }),
    ]);
    const models = await readModelsInTables();
    expect(models.balances[other]).toEqual({ availablePoints: 60, lastVersion: 2 });
    expect(models.balances[third]).toEqual({ availablePoints: 30, lastVersion: 1 });
    expect(models.balances[poisoned]).toBeUndefined();
    // Parked for the balance only: the lots and the history of that customer are projected as usual.
    const replay = replayReadModels(await readWholeLog());
    expect(models.lots).toEqual(replay.lots);
    expect(models.history).toEqual(replay.history);
    for (const projection of ["available-balance", "point-lots", "point-history"]) expect(await checkpointOf(projection)).toBe(await newestPosition());

    // Retried before the fix: it still fails, and stays parked with the error it fails with now.
    await poisonBalancesOf(poisoned, { message: "still poisoned" });
    expect(await retryParkedStream({ projection: "available-balance", customerId: poisoned })).toEqual({
      unparked: false,
      message: "Still fails, so the stream stays parked: still poisoned",
    });
    expect((await listParkedStreams(sqlPool)).map((park) => park.error)).toEqual(["still poisoned"]);

    await curePoison();
    const retried = await retryParkedStream({ projection: "available-balance", customerId: poisoned });

    expect(retried).toEqual({ unparked: true, message: "Replayed 3 events into available-balance: the stream is no longer parked." });
    expect(await listParkedStreams(sqlPool)).toEqual([]);
    expect(await readModelsInTables()).toEqual(replayReadModels(await readWholeLog()));
    // Unparked, the customer's next event is projected as anyone's.
    await earnPoints(poisoned, 1);
    await projectPointEvents();
    expect((await readModelsInTables()).balances[poisoned]).toEqual({ availablePoints: 121, lastVersion: 4 });
    await expect(retryParkedStream({ projection: "available-balance", customerId: poisoned })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("parks nothing when the failure is the database's (a lock timeout): the pass fails and runs again later", async () => {
    const [customer, other] = [randomUUID(), randomUUID()];
    await earnPoints(other, 10);
    await earnPoints(customer, 20);
    const before = await checkpointOf("available-balance");
    await poisonBalancesOf(customer, { message: "canceling statement due to lock timeout", errcode: "55P03" });

    await expect(projectPointEvents()).rejects.toMatchObject({ code: "55P03" });

    expect(await listParkedStreams(sqlPool)).toEqual([]);
    expect(await checkpointOf("available-balance")).toBe(before);
    await curePoison();
    await projectPointEvents();
    expect(await readModelsInTables()).toEqual(replayReadModels(await readWholeLog()));
  });

  it("is unparked by a rebuild, which replays every stream", async () => {
    const [poisoned, other] = [randomUUID(), randomUUID()];
    await poisonBalancesOf(poisoned);
    await earnPoints(poisoned, 20);
    await earnPoints(other, 10);
    await projectPointEvents();
    expect(await listParkedStreams(sqlPool)).toHaveLength(1);
    await curePoison();

    await rebuildProjections();

    expect(await listParkedStreams(sqlPool)).toEqual([]);
    expect(await readModelsInTables()).toEqual(replayReadModels(await readWholeLog()));
  });
});
