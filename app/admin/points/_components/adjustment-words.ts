import { ADJUST_POINTS_ACTION } from "@/server/admin/audit/audit-actions";
import { formatPoints } from "@/server/loyalty/points/format-points";
import type { PointsAdjustmentInput } from "../../_lib/admin-api";

/** Enough to see what was just done and by whom; the whole log is the audit's. */
export const RECENT_ADJUSTMENTS = { action: ADJUST_POINTS_ACTION, limit: 10 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The page's `?customerId=` when it is one (the audit log links adjustments so); anything else shows everyone's. */
export function customerIdOf(param: string | string[] | undefined): string | undefined {
  const text = Array.isArray(param) ? param[0] : param;
  return text && UUID.test(text.trim()) ? text.trim().toLowerCase() : undefined;
}

/** The recent adjustments, or one customer's (an adjustment's audit target is its customer's id). */
export function adjustmentsQuery(customerId?: string) {
  return customerId ? { ...RECENT_ADJUSTMENTS, targetId: customerId } : RECENT_ADJUSTMENTS;
}

export type AdjustmentFields = { customerEmail: string; points: string; reason: string };
export type AdjustmentRequest = Omit<PointsAdjustmentInput, "idempotencyKey">;
type FieldErrors = Partial<Record<keyof AdjustmentFields, string>>;

/** "40" → 40, "-15" or "−15" → -15, "1,000" → 1000; anything else, or 0, gets a message instead. */
export function parseAdjustmentPoints(text: string): { ok: true; points: number } | { ok: false; message: string } {
  // A typographic minus or dash, as pasted from a document or typed by a phone's keyboard, deducts too.
  const trimmed = text.trim().replaceAll(",", "").replace(/^[−–]/, "-");
  if (!/^[-+]?\d+$/.test(trimmed)) return { ok: false, message: "Enter a whole number of points, like 40, or -15 to deduct." };
  const points = Number(trimmed);
  if (points === 0) return { ok: false, message: "Adjust by at least 1 point (negative to deduct)." };
  return { ok: true, points };
}

/**
 * Reads the form into a request, checking only what the confirmation needs to ask its question: whom, how many points
 * which way, and why. Every other rule (a valid email, the limits, the reason's length) is the server's, and its
 * field errors come back next to the fields.
 */
export function adjustmentOf(fields: AdjustmentFields): { request?: AdjustmentRequest; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const customerEmail = fields.customerEmail.trim();
  const reason = fields.reason.trim();
  const points = parseAdjustmentPoints(fields.points);
  if (customerEmail === "") errors.customerEmail = "Enter the customer's email.";
  if (!points.ok) errors.points = points.message;
  if (reason === "") errors.reason = "Say why the points are being adjusted.";
  if (Object.keys(errors).length > 0 || !points.ok) return { errors };
  return { request: { customerEmail, points: points.points, reason }, errors };
}

/** "Give 40 points to pat@unicorn.test?" or "Take 15 points from pat@unicorn.test?" */
export function adjustmentQuestion({ customerEmail, points }: Pick<AdjustmentRequest, "customerEmail" | "points">): string {
  return points > 0 ? `Give ${formatPoints(points)} to ${customerEmail}?` : `Take ${formatPoints(-points)} from ${customerEmail}?`;
}

/** "Gave 40 points to pat@unicorn.test." A repeat (the first try's answer was lost) says that it changed nothing more. */
export function adjustmentDone({ customerEmail, points, repeated }: { customerEmail: string; points: number; repeated: boolean }): string {
  const done = points > 0 ? `Gave ${formatPoints(points)} to ${customerEmail}.` : `Took ${formatPoints(-points)} from ${customerEmail}.`;
  return repeated ? `${done} An earlier try had already done it: nothing was done twice.` : done;
}

/** 32 hex digits (a UUID without its dashes): well inside the server's 8–100 letters, digits, '-' or '_'. */
export function newAdjustmentKey(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** An idempotency key and the request it was made for. */
export type AdjustmentKey = { request: string; key: string };

/**
 * The key for this request: the same request again (retried after the answer was lost on the way) keeps its key, so
 * the server adjusts once; a changed request is a new adjustment with a new key. The form forgets the key on success.
 */
export function adjustmentKeyFor(previous: AdjustmentKey | null, request: AdjustmentRequest, newKey = newAdjustmentKey): AdjustmentKey {
  const asked = JSON.stringify([request.customerEmail, request.points, request.reason]);
  return previous?.request === asked ? previous : { request: asked, key: newKey() };
}
