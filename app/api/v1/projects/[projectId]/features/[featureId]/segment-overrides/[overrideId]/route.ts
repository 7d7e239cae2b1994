import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  deleteSegmentOverride,
  serializeSegmentOverride,
  updateSegmentOverride,
} from "@/lib/flags/segment-overrides";
import { updateSegmentOverrideBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam, featureId: idParam, overrideId: idParam });

// PATCH /api/v1/projects/{project_id}/features/{feature_id}/segment-overrides/{override_id}/ – editors
export const PATCH = withRoute({ params, body: updateSegmentOverrideBody }, async ({ actor, params, body }) =>
  serializeSegmentOverride(
    await updateSegmentOverride(actor, params.projectId, params.featureId, params.overrideId, body),
  ),
);

// DELETE /api/v1/projects/{project_id}/features/{feature_id}/segment-overrides/{override_id}/ – editors
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteSegmentOverride(actor, params.projectId, params.featureId, params.overrideId);
});
