import { analyticsBody, flagsmithProtocol, flagsmithValidationError } from "@/lib/serving/flagsmith-api";
import { flagAnalytics } from "@/lib/serving/flag-analytics";
import {
  corsPreflight,
  environmentForKey,
  jsonAnswer,
  readJsonBody,
  withSdkRoute,
} from "@/lib/serving/sdk-route";

// Flagsmith SDK API: flag evaluation counts (`{ feature name: count }`) posted by SDKs with
// analytics enabled. Counted in memory and written in batches; unknown feature names are ignored.
const MAX_ANALYTICS_BODY_BYTES = 256 * 1024;

export const POST = withSdkRoute(flagsmithProtocol, async ({ req, db }) => {
  const snapshot = await environmentForKey(flagsmithProtocol, db, req.headers.get("x-environment-key"));
  const body = analyticsBody.safeParse(await readJsonBody(flagsmithProtocol, req, MAX_ANALYTICS_BODY_BYTES));
  if (!body.success) throw flagsmithValidationError(body.error);
  const counts: Array<[number, number]> = [];
  for (const [name, count] of Object.entries(body.data)) {
    const featureId = snapshot.featureIds.get(name);
    if (featureId !== undefined) counts.push([featureId, count]);
  }
  flagAnalytics(db).record(snapshot.environment.id, counts);
  return jsonAnswer("{}");
});

export const OPTIONS = corsPreflight;
