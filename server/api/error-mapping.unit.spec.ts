import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { QueueUnavailableError } from "@/server/queues/queue-unavailable";
import { QUEUE_UNAVAILABLE_MESSAGE, transportErrorFor } from "./error-mapping";

describe("transportErrorFor", () => {
  it("answers Redis being away with 503 and a try-again, not a 500", () => {
    const answer = transportErrorFor(new QueueUnavailableError("Redis did not answer: Connection is closed."));
    expect(answer).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: QUEUE_UNAVAILABLE_MESSAGE });
  });

  it("maps a business failure by its code and leaves anything else unexpected", () => {
    expect(transportErrorFor(new DomainError("NOT_FOUND", "There is no such saga."))).toMatchObject({ code: "NOT_FOUND", message: "There is no such saga." });
    expect(transportErrorFor(new Error("a bug"))).toBeUndefined();
  });
});
