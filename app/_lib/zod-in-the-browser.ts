import { z } from "zod";

/**
 * Import first in any module that parses with zod in the browser. Zod probes once whether it may compile its
 * parsers with `new Function`; the Content-Security-Policy forbids eval (server/http/front-door.ts), and the browser
 * reports the probe as a violation even though zod catches it and parses without. `jitless` skips the probe. Only in
 * the browser: on the server the compiled parsers are the API's fast path.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
