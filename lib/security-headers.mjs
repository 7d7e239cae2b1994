// Response headers every page and API answer carries (next.config.mjs `headers()`). The CSP is
// limited to directives that cannot break Next.js's inline scripts and styles: no framing (click-
// jacking), no <base> or plugin tricks, forms post only to Flagpost.
const CONTENT_SECURITY_POLICY =
  "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/** @param {string | undefined} publicUrl FLAGPOST_PUBLIC_URL */
export function securityHeaders(publicUrl) {
  const headers = [
    { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  ];
  // Only when Flagpost is served over https: HSTS on a plain-http deployment would lock browsers out.
  if (publicUrl?.startsWith("https://"))
    headers.push({ key: "Strict-Transport-Security", value: "max-age=31536000" });
  return headers;
}
