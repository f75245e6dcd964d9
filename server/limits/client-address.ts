import { isIPv4, isIPv6 } from "node:net";

/**
 * The client's IP address. Without a proxy of ours in front (`trustedProxyHops` 0, the default) it is the socket's
 * peer, and X-Forwarded-For is ignored: anyone can send that header. Behind N proxies of ours, each appending the
 * address it saw, the last N entries are theirs and the client is the N-th from the right (the leftmost when there
 * are fewer: the same rule as Express's `trust proxy` with a hop count). IPv4-mapped IPv6 addresses are given as IPv4.
 */
export function clientAddress(options: {
  socketAddress: string | undefined;
  forwardedFor: string | undefined;
  trustedProxyHops: number;
}): string | undefined {
  if (options.trustedProxyHops === 0) return validAddress(options.socketAddress);
  const entries = (options.forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return validAddress(options.socketAddress);
  return validAddress(entries[Math.max(0, entries.length - options.trustedProxyHops)]);
}

function validAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  return isIPv4(address) || isIPv6(address) ? address.toLowerCase() : undefined;
}

/**
 * The network an address belongs to, as the limits per network count it: an IPv4 address itself, an IPv6 address's
 * /64 (one subscriber's usual allocation, so stepping through one's own addresses gains nothing), "unknown" when the
 * door could not tell (every such request shares one allowance).
 */
export function networkOf(address: string | undefined): string {
  if (!address) return "unknown";
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, "::" filled in (an embedded IPv4 tail counts as two groups). */
function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("::");
  const groups = (part: string | undefined) => (part ? part.split(":").flatMap(ipv4AsGroups) : []);
  const left = groups(head);
  const right = groups(tail);
  const missing = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...missing, ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}

function ipv4AsGroups(group: string): string[] {
  if (!group.includes(".")) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
