import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import superjson from "superjson";

/**
 * What the API refuses before any procedure runs, at either door (the shop's Node server and Next's route handler):
 *
 * - a body that is not JSON: tRPC would otherwise hand a procedure FormData, a Blob or a stream (a multipart "bulk
 *   retry" parsed as `{ filter: {} }`, retry everything). JSON also cannot be sent cross-site without the browser
 *   asking first, which forms and `text/plain` can;
 * - a batch of more than MAX_BATCH_CALLS calls: one request must not carry a crowd's work (or twenty password guesses);
 * - an `auth.*` mutation batched with other calls: each sign-in, sign-up and sign-out is its own request, so limits on
 *   requests hold for them one by one.
 */
export const MAX_BATCH_CALLS = 10;

export type TrpcRefusal = { status: 400 | 415; code: "BAD_REQUEST" | "UNSUPPORTED_MEDIA_TYPE"; message: string };

export function trpcRequestRefusal(request: {
  method: string | undefined;
  contentType: string | null | undefined;
  /** The procedure path as tRPC reads it: `a.b` or, for a batch, `a.b,c.d`. */
  path: string;
  isBatch: boolean;
}): TrpcRefusal | null {
  if (request.method === "POST" && mediaTypeOf(request.contentType) !== "application/json") {
    return {
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: `The API takes JSON only: send the input with Content-Type: application/json (not ${request.contentType ? mediaTypeOf(request.contentType) : "no Content-Type"}).`,
    };
  }
  if (!request.isBatch) return null;
  const paths = request.path.split(",");
  if (paths.length > MAX_BATCH_CALLS) {
    return { status: 400, code: "BAD_REQUEST", message: `A batch may hold at most ${MAX_BATCH_CALLS} calls; this one held ${paths.length}. Send the rest in another request.` };
  }
  if (request.method === "POST" && paths.length > 1 && paths.some((path) => path.startsWith("auth."))) {
    return { status: 400, code: "BAD_REQUEST", message: "Sign-in, sign-up and sign-out cannot be batched: send each in a request of its own." };
  }
  return null;
}

/** A refusal as tRPC's own error answer (the shop's transformer is superjson), so tRPC clients show its message. */
export function trpcRefusalBody(refusal: { status: number; code: keyof typeof TRPC_ERROR_CODES_BY_KEY; message: string }): string {
  const shape = {
    message: refusal.message,
    code: TRPC_ERROR_CODES_BY_KEY[refusal.code],
    data: { code: refusal.code, httpStatus: refusal.status },
  };
  return JSON.stringify({ error: superjson.serialize(shape) });
}

function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}
