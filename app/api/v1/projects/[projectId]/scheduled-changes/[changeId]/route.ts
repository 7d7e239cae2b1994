import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { cancelScheduledChange } from "@/lib/release-rules/firings";

const params = z.object({ projectId: idParam, changeId: idParam });

// DELETE /api/v1/projects/{project_id}/scheduled-changes/{id}/ – cancel (same permission as its rule)
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await cancelScheduledChange(actor, params.projectId, params.changeId);
});
