import type { IncomingMessage, ServerResponse } from "node:http";
import { getIronSession, unsealData } from "iron-session";
import { sessionOptions, type Session, type SessionData } from "@/server/api/session-options";

/**
 * The session of a request at the Node door, with the cookie's unsealing remembered: opening the seal (key derivation,
 * HMAC, AES) was a fifth of the CPU of every signed-in call, and a shopper sends the same sealed cookie with every
 * one. The sealed string is the credential itself, so remembering what it opens to changes nothing about who may do
 * what; an entry is kept at most a minute and never past the seal's own expiry. Signing in and out (save, destroy)
 * go through iron-session itself.
 */
const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 20_000;
const remembered = new Map<string, { data: SessionData; until: number }>();

export async function nodeSession(req: IncomingMessage, res: ServerResponse): Promise<Session> {
  const sealed = cookieValue(req.headers.cookie, sessionOptions.cookieName);
  const data = sealed ? await opened(sealed) : {};
  const session: Session = {
    customerId: data.customerId,
    async save() {
      const iron = await getIronSession<SessionData>(req, res, sessionOptions);
      iron.customerId = session.customerId;
      await iron.save();
    },
    async destroy() {
      (await getIronSession<SessionData>(req, res, sessionOptions)).destroy();
    },
  };
  return session;
}

async function opened(sealed: string): Promise<SessionData> {
  const now = Date.now();
  const known = remembered.get(sealed);
  if (known && known.until > now) return known.data;
  const data = await unsealData<SessionData>(sealed, { password: sessionOptions.password, ttl: sessionOptions.ttl });
  const until = Math.min(now + REMEMBER_MS, sealExpiry(sealed) ?? now);
  if (until > now) {
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
    remembered.set(sealed, { data, until });
  }
  return data;
}

/** Iron seals carry their expiry (ms since the epoch) as the sixth `*`-separated field; none is never remembered. */
function sealExpiry(sealed: string): number | null {
  const expiry = Number(sealed.split("~")[0]?.split("*")[5]);
  return Number.isFinite(expiry) && expiry > 0 ? expiry : null;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const separator = part.indexOf("=");
    if (separator !== -1 && part.slice(0, separator).trim() === name) return decodeURIComponent(part.slice(separator + 1).trim());
  }
  return undefined;
}
