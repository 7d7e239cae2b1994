import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { deleteFeature, getFeature, serializeFeature, updateFeature } from "@/lib/flags/features";
import { updateFeatureBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam, featureId: idParam });

// GET /api/v1/projects/{project_id}/features/{feature_id}/ – archived features too
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeFeature(await getFeature(actor, params.projectId, params.featureId)),
);

// PATCH /api/v1/projects/{project_id}/features/{feature_id}/ – editors; `tags` replaces the user tags
export const PATCH = withRoute({ params, body: updateFeatureBody }, async ({ actor, params, body }) =>
  serializeFeature(await updateFeature(actor, params.projectId, params.featureId, body)),
);

// DELETE /api/v1/projects/{project_id}/features/{feature_id}/ – editors
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteFeature(actor, params.projectId, params.featureId);
});
