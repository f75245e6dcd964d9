import "server-only";
import { TRPCError } from "@trpc/server";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { getCookieSession } from "@/server/api/session";
import { createContext } from "@/server/api/trpc";

/** The API for server components: same procedures, no HTTP hop. One caller per request. */
export const getApi = cache(async () => createCaller(createContext({ session: await getCookieSession() })));

/** The signed-in customer for this request, or null. */
export const getSignedInCustomer = cache(async () => (await getApi()).auth.me());

export function isTRPCErrorCode(error: unknown, code: TRPCError["code"]): boolean {
  return error instanceof TRPCError && error.code === code;
}
