import { NextResponse, type NextRequest } from "next/server";

// Tells server components which page was asked for, so a signed-out visitor sent to sign-in (or
// first-run setup) comes back to it afterwards (lib/auth/session.ts). Always overwritten here, so
// a client cannot choose it; it is checked like any callback address (lib/auth/callback-url.ts).
// The header name is REQUESTED_PATH_HEADER there; this file imports no server modules.

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-flagpost-requested-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the APIs (ours and OFREP's, where a proxy pass would cost every call), Next's
  // assets or files.
  matcher: ["/((?!api/|ofrep/|_next/|icon|favicon|.*\\.[a-z0-9]+$).*)"],
};
