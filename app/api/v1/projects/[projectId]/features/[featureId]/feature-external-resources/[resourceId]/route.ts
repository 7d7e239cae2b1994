import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { unlinkFeatureItem } from "@/lib/gitlab/links/links";

const params = z.object({ projectId: idParam, featureId: idParam, resourceId: idParam });

// DELETE /api/v1/projects/{project_id}/features/{feature_id}/feature-external-resources/{id}/ – editors: unlink
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await unlinkFeatureItem(actor, params.projectId, params.featureId, params.resourceId);
});
