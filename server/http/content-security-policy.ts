import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The Content-Security-Policy of the shop's answers: no inline script or style runs unless the shop names it, by a
 * nonce or by a hash. Next's App Router puts each page's data in inline `<script>`s (`self.__next_f.push(…)`), and a
 * page reaches the browser one of two ways, so each gets the name it can carry:
 * - rendered for this request (wallet, checkout, admin…), streamed: the door makes a nonce and hands it to Next in the
 *   request's own `content-security-policy` header, where Next's renderer looks for it and puts it on every script it
 *   writes;
 * - prerendered (catalog, products, points) and sent whole from Next's cache, with the scripts fixed until the page is
 *   revalidated: the door hashes its inline scripts and styles once per version of the page (a nonce cannot be put
 *   in a page rendered before the request, and rendering every request to carry one would give up the prerendering).
 * Files (scripts and stylesheets) come only from this origin. Style attributes stay allowed (React's `style={…}`, the
 * charts' SVG): an attribute can hold no nonce or hash, and CSS cannot run code.
 */

export type InlineCodeHashes = { readonly scripts: readonly string[]; readonly styles: readonly string[] };

const NO_HASHES: InlineCodeHashes = { scripts: [], styles: [] };

const FIXED_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The policy of one answer: what its nonce (if any) and the hashes of its inline code allow. */
export function contentSecurityPolicy(options: { https: boolean; nonce?: string; hashes?: InlineCodeHashes }): string {
  const { scripts, styles } = options.hashes ?? NO_HASHES;
  const named = (hashes: readonly string[]) => [...(options.nonce ? [`'nonce-${options.nonce}'`] : []), ...hashes.map((hash) => `'sha256-${hash}'`)];
  return [
    FIXED_DIRECTIVES,
    ["script-src 'self'", ...named(scripts)].join(" "),
    // style-src for browsers that know neither of the two after it (they allow inline styles as before).
    "style-src 'self' 'unsafe-inline'",
    ["style-src-elem 'self'", ...named(styles)].join(" "),
    "style-src-attr 'unsafe-inline'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * The SHA-256 (base64) of every inline `<script>` and `<style>` of a whole HTML page, as the browser hashes them: the
 * element's text, byte for byte. A script with a `src` is a file, allowed by origin. The text ends at the first
 * `</script` or `</style`, as in the HTML parser; React escapes those sequences inside what it inlines.
 */
export function hashesOfInlineCode(html: string): InlineCodeHashes {
  return { scripts: hashesOf(html, "script"), styles: hashesOf(html, "style") };
}

function hashesOf(html: string, tag: "script" | "style"): string[] {
  const hashes = new Set<string>();
  const lower = html.toLowerCase();
  for (let at = lower.indexOf(`<${tag}`); at !== -1; at = lower.indexOf(`<${tag}`, at + 1)) {
    const afterName = lower.charCodeAt(at + tag.length + 1);
    // `<scripts…` or `<style-guide…` is another element; a name ends at whitespace, `/` or `>`.
    if (!(afterName === 0x3e || afterName === 0x2f || afterName === 0x20 || (afterName >= 0x09 && afterName <= 0x0d))) continue;
    const openEnd = lower.indexOf(">", at);
    const close = lower.indexOf(`</${tag}`, openEnd);
    if (openEnd === -1 || close === -1) break;
    if (tag === "script" && /\ssrc\s*=/.test(lower.slice(at, openEnd))) continue;
    hashes.add(createHash("sha256").update(html.slice(openEnd + 1, close), "utf8").digest("base64"));
    at = close;
  }
  return [...hashes];
}

/** Prerendered pages are a handful (catalog, products, points, not-found); more than this is someone probing. */
const MAX_HASHED_PAGES = 64;

/**
 * Names the inline code of one page answer, as the module comment says: a fresh nonce, given to Next on the request
 * and to the browser in the answer; and, when Next sends a whole HTML page in one `end`, the hashes of its inline
 * code added to the policy before the headers go. Hashes are kept per version of a page: Next hands the same cached
 * string for every answer until it revalidates, so a repeat costs one map lookup.
 */
export function pageAnswerPolicy(https: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  const hashesByPage = new Map<string, InlineCodeHashes>();
  const hashesFor = (html: string): InlineCodeHashes => {
    let hashes = hashesByPage.get(html);
    if (hashes === undefined) {
      if (hashesByPage.size >= MAX_HASHED_PAGES) hashesByPage.clear();
      hashes = hashesOfInlineCode(html);
      hashesByPage.set(html, hashes);
    }
    return hashes;
  };

  return (req, res) => {
    const nonce = randomBytes(16).toString("base64");
    // Whatever the client sent under this name is replaced: the nonce is the door's to choose.
    req.headers["content-security-policy"] = `script-src 'nonce-${nonce}'`;
    res.setHeader("content-security-policy", contentSecurityPolicy({ https, nonce }));
    const end = res.end;
    res.end = ((...args: unknown[]) => {
      const [body] = args;
      if (typeof body === "string" && !res.headersSent && String(res.getHeader("content-type")).startsWith("text/html")) {
        // Every inline script and style of this page is named by its hash, so the nonce is left out: the answer may be
        // kept by the shared page cache in front (HAProxy) and served to others, and a nonce must never be reused.
        res.setHeader("content-security-policy", contentSecurityPolicy({ https, hashes: hashesFor(body) }));
      }
      return (end as (...args: unknown[]) => ServerResponse).apply(res, args);
    }) as typeof res.end;
  };
}
