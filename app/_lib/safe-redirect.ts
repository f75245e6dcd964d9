/** A placeholder origin: a destination that still resolves to it after the browser's own parsing is a path here. */
const HERE = "http://shop.invalid";

/**
 * Where to send someone after signing in. Only paths on this site: "/wallet" yes, "//evil.example" or
 * "https://evil.example" no (an open redirect would let a phishing link borrow the shop's sign-in page).
 *
 * Browsers parse a Location more loosely than it reads: they drop tabs and newlines anywhere and take a backslash for
 * a slash, so "/\t/evil.example" and "/\\evil.example" both mean "//evil.example", another site. Anything with a
 * control character or a backslash is therefore refused outright, and what is left is resolved the way a browser
 * would (dot segments and all) and kept only if it stays on this origin and is not itself a "//" address.
 */
export function safeRedirectPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== HERE || path.startsWith("//")) return fallback;
  return path;
}

/** The sign-in address that brings the person back to `path` afterwards. */
export function signInPathFor(path: string): string {
  return `/sign-in?next=${encodeURIComponent(path)}`;
}
