import { z } from "zod";

/**
 * What travels on a live channel: only "this changed", with the moment the change committed. Never the new state:
 * listeners read that from PostgreSQL, so a message lost, repeated or arriving late can never show a wrong state.
 */
export const changeMessageSchema = z.object({
  /** When the change committed, in ms since the epoch (for measuring how late the news arrives). */
  committedAt: z.number().int().nonnegative(),
});

export type ChangeMessage = z.infer<typeof changeMessageSchema>;

export function encodeChangeMessage(message: ChangeMessage): string {
  return JSON.stringify(changeMessageSchema.parse(message));
}

/** The message, or null when it is not one of ours (anything can publish on Redis). */
export function decodeChangeMessage(text: string): ChangeMessage | null {
  try {
    const parsed = changeMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
