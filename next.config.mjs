import { securityHeaders } from "./lib/security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The API contract answers every path with and without a trailing slash, directly: GitLab does
  // not follow redirects when it delivers webhooks.
  skipTrailingSlashRedirect: true,
  // These load WASM, data files or native-looking modules at run time; keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // Next.js evaluates this when `next build` and `next start` load the configuration; set
  // FLAGPOST_PUBLIC_URL for both (HSTS is only sent when it is https).
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.FLAGPOST_PUBLIC_URL) }];
  },
};

export default nextConfig;
