import {
  flagsmithProtocol,
  flagsmithValidationError,
  identityBody,
  identityFlags,
  identityQuery,
  MAX_IDENTITY_BODY_BYTES,
} from "@/lib/serving/flagsmith-api";
import {
  corsPreflight,
  environmentForKey,
  jsonAnswer,
  readJsonBody,
  withSdkRoute,
} from "@/lib/serving/sdk-route";

// Flagsmith SDK API: an identity's flags and traits. GET reads (creating the identity, as
// Flagsmith does); POST also sets traits (stored unless transient).

export const GET = withSdkRoute(flagsmithProtocol, async ({ req, url, db }) => {
  const snapshot = await environmentForKey(flagsmithProtocol, db, req.headers.get("x-environment-key"));
  const query = identityQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw flagsmithValidationError(query.error);
  return jsonAnswer(
    await identityFlags(db, snapshot, {
      identifier: query.data.identifier,
      traits: [],
      transient: query.data.transient,
    }),
  );
});

export const POST = withSdkRoute(flagsmithProtocol, async ({ req, db }) => {
  const snapshot = await environmentForKey(flagsmithProtocol, db, req.headers.get("x-environment-key"));
  const body = identityBody.safeParse(await readJsonBody(flagsmithProtocol, req, MAX_IDENTITY_BODY_BYTES));
  if (!body.success) throw flagsmithValidationError(body.error);
  return jsonAnswer(await identityFlags(db, snapshot, body.data));
});

export const OPTIONS = corsPreflight;
