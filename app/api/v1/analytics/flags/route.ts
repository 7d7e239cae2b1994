import {
  analyticsBody,
  flagsmithEnvironment,
  flagsmithInput,
  flagsmithProtocol,
} from "@/lib/serving/flagsmith-api";
import { recordFlagEvaluations } from "@/lib/serving/flag-analytics";
import { corsPreflight, jsonAnswer, readJsonBody, withSdkRoute } from "@/lib/serving/sdk-route";

// Flagsmith SDK API: flag evaluation counts (`{ feature name: count }`) posted by SDKs with
// analytics enabled. Counted in memory and written in batches; unknown feature names are ignored.
const MAX_ANALYTICS_BODY_BYTES = 256 * 1024;

export const POST = withSdkRoute(flagsmithProtocol, async ({ req, db }) => {
  const snapshot = await flagsmithEnvironment(db, req);
  const counts = flagsmithInput(
    analyticsBody,
    await readJsonBody(flagsmithProtocol, req, MAX_ANALYTICS_BODY_BYTES),
  );
  recordFlagEvaluations(db, snapshot, counts);
  return jsonAnswer("{}");
});

export const OPTIONS = corsPreflight;
