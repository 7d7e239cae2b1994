import { z } from "zod";
import { environmentKeyParam, withRoute } from "@/lib/api/with-route";
import { createServerKey, listServerKeys, serializeServerKey } from "@/lib/flags/server-keys";
import { createServerKeyBody } from "@/lib/validations/evaluation";

const params = z.object({ envApiKey: environmentKeyParam });

// GET /api/v1/environments/{api_key}/api-keys/ – project admins; never the keys themselves
export const GET = withRoute({ params }, async ({ actor, params }) => {
  const keys = await listServerKeys(actor, params.envApiKey);
  return { count: keys.length, next: null, previous: null, results: keys.map(serializeServerKey) };
});

// POST /api/v1/environments/{api_key}/api-keys/ {name} – project admins; the answer's `key` is
// the only time the key is shown
export const POST = withRoute(
  { params, body: createServerKeyBody, status: 201 },
  async ({ actor, params, body }) => {
    const { key, row } = await createServerKey(actor, params.envApiKey, body.name);
    return { ...serializeServerKey(row), key };
  },
);
