import { describe, it, expect, afterEach, vi } from "vitest";
import { z } from "zod";
import {
  assertValidJobId,
  defineQueue,
  enqueue,
  InvalidJobIdError,
  InvalidJobPayloadError,
  InvalidQueueDefinitionError,
  isJobName,
  parseJobPayload,
  registerQueues,
  UnknownJobNameError,
} from "@/server/queues/define-queue";

// No services in unit tests: any attempt to reach Redis is recorded and refused, which proves that validation
// happens before anything is sent.
const redisAttempts = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/server/queues/connections", () => ({
  getReadyProducerConnection: async () => {
    redisAttempts.count += 1;
    throw new Error("unit tests must not reach Redis");
  },
  producerCall: <T>(call: () => Promise<T>) => call(),
}));

const orders = defineQueue({
  name: "orders",
  jobs: {
    reserveStock: z.object({ orderId: z.string().min(1), quantity: z.number().int().positive() }),
    notify: z.object({ email: z.email() }),
  },
});

afterEach(() => {
  redisAttempts.count = 0;
});

describe("defineQueue", () => {
  it("keeps the job schemas and merges default job options over the base ones", () => {
    const queue = defineQueue({ name: "emails", jobs: { send: z.object({}) }, defaultJobOptions: { attempts: 5 } });
    expect(queue.name).toBe("emails");
    expect(Object.keys(queue.jobs)).toEqual(["send"]);
    expect(queue.defaultJobOptions.attempts).toBe(5);
    expect(queue.defaultJobOptions.removeOnComplete).toBeDefined();
  });

  it("rejects a queue name BullMQ would refuse, and a queue without jobs", () => {
    expect(() => defineQueue({ name: "orders:eu", jobs: { a: z.object({}) } })).toThrow(InvalidQueueDefinitionError);
    expect(() => defineQueue({ name: "", jobs: { a: z.object({}) } })).toThrow(InvalidQueueDefinitionError);
    expect(() => defineQueue({ name: "empty", jobs: {} })).toThrow(/at least one job/);
  });
});

describe("registerQueues", () => {
  it("maps each queue by its name", () => {
    const registry = registerQueues([orders]);
    expect(registry.orders).toBe(orders);
  });

  it("refuses two queues with the same name", () => {
    const twin = defineQueue({ name: "orders", jobs: { other: z.object({}) } });
    expect(() => registerQueues([orders, twin])).toThrow(/Two queues are named "orders"/);
  });
});

describe("parseJobPayload", () => {
  it("returns the validated payload without unknown fields", () => {
    const payload = parseJobPayload(orders, "reserveStock", { orderId: "o-1", quantity: 2, extra: true });
    expect(payload).toEqual({ orderId: "o-1", quantity: 2 });
  });

  it("names each wrong field, the job and the queue", () => {
    const attempt = () => parseJobPayload(orders, "reserveStock", { orderId: "", quantity: 1.5 });
    expect(attempt).toThrow(InvalidJobPayloadError);
    expect(attempt).toThrow(/Invalid payload for job "reserveStock" on queue "orders": orderId: .*; quantity: /);
  });

  it("treats only the queue's own jobs as job names", () => {
    expect(isJobName(orders, "notify")).toBe(true);
    expect(isJobName(orders, "toString")).toBe(false);
    expect(() => parseJobPayload(orders, "toString" as "notify", {})).toThrow(UnknownJobNameError);
  });
});

describe("assertValidJobId", () => {
  it.each(["order-42-reserve-stock", "42abc", "a.b_c"])("accepts %j", (jobId) => {
    expect(() => assertValidJobId(jobId)).not.toThrow();
  });

  it.each([
    ["", /must not be empty/],
    ["order:42", /must not contain ':'/],
    ["42", /must not be an integer/],
    ["-7", /must not be an integer/],
    // BullMQ itself would accept "007"; all digits is refused anyway, as it reads like one of its own ids.
    ["007", /must not be an integer/],
  ])("rejects %j", (jobId, reason) => {
    expect(() => assertValidJobId(jobId)).toThrow(InvalidJobIdError);
    expect(() => assertValidJobId(jobId)).toThrow(reason);
  });
});

describe("enqueue", () => {
  it("rejects a bad payload before anything is sent", async () => {
    const badPayload: unknown = { orderId: "o-1", quantity: -1 };
    await expect(enqueue(orders, "reserveStock", badPayload as { orderId: string; quantity: number })).rejects.toThrow(
      /quantity: /,
    );
    expect(redisAttempts.count).toBe(0);
  });

  it("rejects a bad job id before anything is sent", async () => {
    await expect(enqueue(orders, "notify", { email: "a@example.com" }, { jobId: "notify:1" })).rejects.toThrow(
      InvalidJobIdError,
    );
    expect(redisAttempts.count).toBe(0);
  });

  it("makes a wrong job name or a wrong payload a compile error", async () => {
    // @ts-expect-error "cancel" is not a job of the orders queue
    await expect(enqueue(orders, "cancel", { orderId: "o-1" })).rejects.toThrow(UnknownJobNameError);
    // @ts-expect-error quantity must be a number
    await expect(enqueue(orders, "reserveStock", { orderId: "o-1", quantity: "2" })).rejects.toThrow(
      InvalidJobPayloadError,
    );
    expect(redisAttempts.count).toBe(0);
  });

  it("reaches for Redis only once the payload and job id are valid", async () => {
    await expect(enqueue(orders, "notify", { email: "a@example.com" }, { jobId: "notify-1" })).rejects.toThrow(
      /must not reach Redis/,
    );
    expect(redisAttempts.count).toBe(1);
  });
});
