import type { IncomingMessage, ServerResponse } from "node:http";
import { SESSION_COOKIE, sessionCookieOptions, tokenSession, type Session } from "@/server/api/session";

/** The session of a request at the Node door: its token read from the Cookie header, written with Set-Cookie. */
export function nodeSession(req: IncomingMessage, res: ServerResponse): Session {
  return tokenSession({
    read: () => sessionToken(req),
    write: (token, maxAge) => res.appendHeader("set-cookie", sessionCookie(token, maxAge)),
    clear: () => res.appendHeader("set-cookie", sessionCookie("", 0)),
  });
}

/** Whether the request carries a session cookie at all (whether it still opens to a customer is the API's question). */
export function hasSessionCookie(req: IncomingMessage): boolean {
  return sessionToken(req) !== undefined;
}

function sessionCookie(token: string, maxAgeSeconds: number): string {
  const attributes = [`Max-Age=${maxAgeSeconds}`, `Path=${sessionCookieOptions.path}`, "HttpOnly", "SameSite=Lax"];
  if (sessionCookieOptions.secure) attributes.push("Secure");
  return [`${SESSION_COOKIE}=${token}`, ...attributes].join("; ");
}

function sessionToken(req: IncomingMessage): string | undefined {
  for (const part of req.headers.cookie?.split(";") ?? []) {
    const separator = part.indexOf("=");
    if (separator !== -1 && part.slice(0, separator).trim() === SESSION_COOKIE) return part.slice(separator + 1).trim() || undefined;
  }
  return undefined;
}
