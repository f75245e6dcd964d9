/**
 * The shared page cache of the shop's front door (HAProxy's own cache, in RAM), the same on one host and on several.
 *
 * It keeps only what Next itself says a shared cache may keep: the pages Next prerenders for everyone that anyone may
 * see (the catalog, a product), which Next sends with `Cache-Control: s-maxage=60` (`revalidate = 60`), for at most
 * that long. Nothing in them is a customer's or a second's: the header learns who is signed in from `auth.me`, and the
 * stock and points are fetched and pushed live in the browser. Everything per customer (the API, the wallet, orders,
 * checkouts) Next sends `private, no-store` or the API answers without a lifetime, and HAProxy never keeps those.
 *
 * Filled into the front's templates as {{PAGE_CACHE_SECTION}} (top level) and {{PAGE_CACHE_RULES}} (in the frontend).
 */

/** HAProxy's cache section: 16 MB of 1 kB blocks, pages up to 1 MB (ours are ~30 kB), kept at most 60 s. */
export const PAGE_CACHE_SECTION = `cache shared-pages
    total-max-size 16
    max-object-size 1048576
    # The lower of this and the answer's own s-maxage wins: never longer than Next's revalidate.
    max-age 60
    # Answers vary on Accept-Encoding (the web server compresses): one copy per encoding.
    process-vary on`;

/**
 * The frontend's rules. Only a GET of a page as a document is looked up or stored: not Next's RSC requests (they send
 * an `rsc` header and an `_rsc` query and get a different body at the same path), and never an answer that sets a
 * cookie. Next's answers vary on its router headers too, which only RSC requests send (and those never reach the
 * cache): HAProxy keeps nothing that varies on a header it does not handle, so the stored copy says Accept-Encoding
 * alone. `X-Cache` tells whether an answer came from the cache (tests and benches read it). The points page is
 * prerendered too, but stays out: the web server sends a visitor without a session to sign in before it, per request.
 */
export const PAGE_CACHE_RULES = `    acl shared_page path /
    acl shared_page path_reg ^/products/[^/]+$
    acl rsc_request req.hdr(rsc) -m found
    http-request set-var(txn.shared_page) bool(true) if METH_GET shared_page !rsc_request
    http-request cache-use shared-pages if { var(txn.shared_page) -m bool }
    http-response set-header Vary Accept-Encoding if { var(txn.shared_page) -m bool } { res.hdr(cache-control) -m sub s-maxage }
    http-response cache-store shared-pages if { var(txn.shared_page) -m bool } !{ res.hdr(set-cookie) -m found }
    http-after-response set-header X-Cache HIT if { res.cache_hit }
    http-after-response set-header X-Cache MISS if { var(txn.shared_page) -m bool } !{ res.cache_hit }`;
