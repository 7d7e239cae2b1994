import { environmentDocument, flagsmithEnvironment, flagsmithProtocol } from "@/lib/serving/flagsmith-api";
import { etagMatches } from "@/lib/serving/ofrep";
import { jsonAnswer, withSdkRoute } from "@/lib/serving/sdk-route";

// Flagsmith SDK API: the environment document for SDKs evaluating locally (server-side keys only).
// Unchanged since the caller's copy (ETag or Last-Modified) → 304 without a body.
export const GET = withSdkRoute(flagsmithProtocol, async ({ req, db }) => {
  const snapshot = await flagsmithEnvironment(db, req, { serverSide: true });
  const { body, etag } = environmentDocument(snapshot);
  // HTTP dates have whole seconds.
  const modified = Math.floor(snapshot.builtAt.getTime() / 1000) * 1000;
  const headers = { etag, "last-modified": new Date(modified).toUTCString(), "cache-control": "no-cache" };
  const ifNoneMatch = req.headers.get("if-none-match");
  const ifModifiedSince = Date.parse(req.headers.get("if-modified-since") ?? "");
  const unchanged = ifNoneMatch
    ? etagMatches(ifNoneMatch, etag)
    : Number.isFinite(ifModifiedSince) && modified <= ifModifiedSince;
  if (unchanged) return new Response(null, { status: 304, headers });
  return jsonAnswer(body, 200, headers);
});
