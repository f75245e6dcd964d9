import { z } from "zod";
import { instantSchema, pointEventSchema, type PointEvent } from "./point-events";

/**
 * An event as the store keeps it: the customer's stream, its position in that stream, and when it was recorded.
 * Projections take these (not bare events) for the customer (`streamId`), to skip what they have already applied
 * (`version`: the balance and the history do) and to date what they show (`occurredAt`).
 */
export type StoredPointEvent = {
  /** The customer id: one stream per customer. */
  streamId: string;
  /** 1 for the stream's first event, then +1 each: the optimistic-concurrency check is on this. */
  version: number;
  eventId: string;
  occurredAt: Date;
  event: PointEvent;
};

/** Reads a stored row back, turning ISO strings into `Date`s and refusing anything malformed. */
export const storedPointEventSchema = z.object({
  streamId: z.string().min(1),
  version: z.number().int().min(1),
  eventId: z.string().min(1),
  occurredAt: instantSchema,
  event: pointEventSchema,
}) satisfies z.ZodType<StoredPointEvent, unknown>;
