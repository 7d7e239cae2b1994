import { environmentFlags, flagsmithEnvironment, flagsmithProtocol } from "@/lib/serving/flagsmith-api";
import { etagMatches } from "@/lib/serving/ofrep";
import { corsPreflight, jsonAnswer, withSdkRoute } from "@/lib/serving/sdk-route";

// Flagsmith SDK API: the environment's flags for its client-side (or server-side) key.
export const GET = withSdkRoute(flagsmithProtocol, async ({ req, db }) => {
  const snapshot = await flagsmithEnvironment(db, req);
  const { body, etag } = environmentFlags(snapshot);
  if (etagMatches(req.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers: { etag } });
  return jsonAnswer(body, 200, { etag });
});

export const OPTIONS = corsPreflight;
