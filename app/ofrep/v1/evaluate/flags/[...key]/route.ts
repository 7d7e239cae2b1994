import {
  evaluateOfrepFlag,
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

// OFREP single-flag evaluation. A catch-all segment, so a key with slashes is answered in the
// protocol's shape (FLAG_NOT_FOUND: feature names have none) rather than by a Next.js 404 page.

export const POST = async (req: Request, context: { params: Promise<{ key: string[] }> }) => {
  const segments = (await context.params).key ?? [];
  const flagKey = segments.join("/");
  const protocol = ofrepProtocol(flagKey);
  return withSdkRoute(protocol, async ({ db }) => {
    const snapshot = await environmentForKey(protocol, db, ofrepKey(req));
    const subject = parseOfrepRequest(protocol, await readJsonBody(protocol, req, MAX_CONTEXT_BYTES));
    return jsonAnswer(JSON.stringify(evaluateOfrepFlag(protocol, snapshot, flagKey, subject)));
  })(req, context as never);
};

export const OPTIONS = corsPreflight;
