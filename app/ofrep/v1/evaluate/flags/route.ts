import {
  etagMatches,
  evaluateOfrepBulk,
  MAX_CONTEXT_BYTES,
  ofrepKey,
  ofrepProtocol,
  parseOfrepRequest,
} from "@/lib/serving/ofrep";
import {
  corsPreflight,
  environmentForKey,
  jsonAnswer,
  readJsonBody,
  withSdkRoute,
} from "@/lib/serving/sdk-route";

// OFREP bulk evaluation: every flag of the key's environment for one context, with an ETag.
const protocol = ofrepProtocol();

export const POST = withSdkRoute(protocol, async ({ req, db }) => {
  const snapshot = await environmentForKey(protocol, db, ofrepKey(req));
  const subject = parseOfrepRequest(protocol, await readJsonBody(protocol, req, MAX_CONTEXT_BYTES));
  const { body, etag } = evaluateOfrepBulk(snapshot, subject);
  if (etagMatches(req.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers: { etag } });
  return jsonAnswer(body, 200, { etag });
});

export const OPTIONS = corsPreflight;
