/**
 * Where to send someone after signing in. Only paths on this site: "/wallet" yes, "//evil.example" or
 * "https://evil.example" no (an open redirect would let a phishing link borrow the shop's sign-in page).
 */
export function safeRedirectPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}

/** The sign-in address that brings the person back to `path` afterwards. */
export function signInPathFor(path: string): string {
  return `/sign-in?next=${encodeURIComponent(path)}`;
}
