import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";

/** The answers that mean the address names nothing the reader may see: unknown, someone else's, or malformed. */
const NOTHING_THERE: readonly TRPCError["code"][] = ["NOT_FOUND", "BAD_REQUEST"];

/**
 * A page's server call for the one thing its address names (a product, an order, a checkout, a saga): its answer, or
 * the 404 page when there is no such thing. A malformed id or slug names nothing either, so the caller's BAD_REQUEST
 * is a 404 too; any other failure propagates to the error page.
 */
export async function orNotFound<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof TRPCError && NOTHING_THERE.includes(error.code)) notFound();
    throw error;
  }
}
