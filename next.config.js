/** @type {import('next').NextConfig} */
module.exports = {
  // The e2e suite builds into its own folder so it never overwrites the demo's build.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() from next/navigation: a signed-in customer who opens the admin monitor gets a real 403 page.
  experimental: { authInterrupts: true },
};
