import { z } from "zod";
import { environmentKeyParam, withRoute } from "@/lib/api/with-route";
import {
  deleteEnvironment,
  getEnvironment,
  serializeEnvironment,
  updateEnvironment,
} from "@/lib/flags/environments";
import { updateEnvironmentBody } from "@/lib/validations/core";

const params = z.object({ envApiKey: environmentKeyParam });

// GET /api/v1/environments/{api_key}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeEnvironment(await getEnvironment(actor, params.envApiKey)),
);

// PATCH /api/v1/environments/{api_key}/ – project admins
export const PATCH = withRoute({ params, body: updateEnvironmentBody }, async ({ actor, params, body }) =>
  serializeEnvironment(await updateEnvironment(actor, params.envApiKey, body)),
);

// DELETE /api/v1/environments/{api_key}/ – project admins; deletes its states and overrides
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteEnvironment(actor, params.envApiKey);
});
