import {
  flagsmithEnvironment,
  flagsmithInput,
  flagsmithProtocol,
  identityBody,
  identityFlags,
  identityQuery,
  MAX_IDENTITY_BODY_BYTES,
} from "@/lib/serving/flagsmith-api";
import { corsPreflight, jsonAnswer, readJsonBody, withSdkRoute } from "@/lib/serving/sdk-route";

// Flagsmith SDK API: an identity's flags and traits. GET reads (creating the identity, as
// Flagsmith does); POST also sets traits (stored unless transient).

export const GET = withSdkRoute(flagsmithProtocol, async ({ req, url, db }) => {
  const snapshot = await flagsmithEnvironment(db, req);
  const query = flagsmithInput(identityQuery, Object.fromEntries(url.searchParams));
  return jsonAnswer(
    await identityFlags(db, snapshot, {
      identifier: query.identifier,
      traits: [],
      transient: query.transient,
    }),
  );
});

export const POST = withSdkRoute(flagsmithProtocol, async ({ req, db }) => {
  const snapshot = await flagsmithEnvironment(db, req);
  const body = flagsmithInput(
    identityBody,
    await readJsonBody(flagsmithProtocol, req, MAX_IDENTITY_BODY_BYTES),
  );
  return jsonAnswer(await identityFlags(db, snapshot, body));
});

export const OPTIONS = corsPreflight;
