import { describe, expect, it } from "vitest";
import { createApiClient } from "@/server/testing/api-client";
import { MAX_BATCH_CALLS } from "./trpc-request-rules";

/**
 * Next's route handler (app/api/trpc, for `next dev`) refuses what the shop's own server refuses before any procedure
 * runs (that door: server/http/front-door.int.spec.ts). Refusals come before the session is read, so no sign-in.
 */
describe("the API's request rules at Next's route handler", () => {
  const client = createApiClient();

  it("refuses FormData: it never reaches a procedure as input", async () => {
    const response = await client.raw({
      method: "POST",
      path: "admin.sagas.bulkRetry",
      body: '--b\r\nContent-Disposition: form-data; name="filter"\r\n\r\n{}\r\n--b--\r\n',
      headers: { "content-type": "multipart/form-data; boundary=b" },
    });
    expect(response.status).toBe(415);
    expect(response.error().message).toMatch(/^The API takes JSON only/);
  });

  it(`refuses a batch of more than ${MAX_BATCH_CALLS} calls, and an auth mutation batched with another`, async () => {
    const tooMany = await client.raw({ method: "GET", path: Array(MAX_BATCH_CALLS + 1).fill("catalog.list").join(","), search: "batch=1" });
    expect(tooMany.status).toBe(400);
    expect(tooMany.error().message).toMatch(/at most 10 calls/);
    const guesses = await client.raw({ method: "POST", path: "auth.signIn,auth.signIn", search: "batch=1", body: "{}" });
    expect(guesses.status).toBe(400);
    expect(guesses.error().message).toMatch(/cannot be batched/);
  });
});
