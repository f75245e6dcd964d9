/** @type {import('next').NextConfig} */
module.exports = {
  // The e2e suite builds into its own folder so it never overwrites the demo's build.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // An ETag is a hash of the whole page computed on every request: on the prerendered catalog that was a fifth of the
  // CPU of serving it. Pages are small and change with the stock anyway; static assets keep their own caching.
  generateEtags: false,
  // The web server compresses Next's answers itself (server/http/shop-server.ts), under the content policy that must
  // read a page before it is compressed.
  compress: false,
  reactStrictMode: true,
  // forbidden() from next/navigation: a signed-in customer who opens the admin monitor gets a real 403 page.
  experimental: { authInterrupts: true },
};
