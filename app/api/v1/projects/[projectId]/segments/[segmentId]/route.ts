import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { deleteSegment, getSegment, serializeSegment, updateSegment } from "@/lib/flags/segments";
import { updateSegmentBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam, segmentId: idParam });

// GET /api/v1/projects/{project_id}/segments/{segment_id}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeSegment(await getSegment(actor, params.projectId, params.segmentId)),
);

// PATCH /api/v1/projects/{project_id}/segments/{segment_id}/ – editors
export const PATCH = withRoute({ params, body: updateSegmentBody }, async ({ actor, params, body }) =>
  serializeSegment(await updateSegment(actor, params.projectId, params.segmentId, body)),
);

// DELETE /api/v1/projects/{project_id}/segments/{segment_id}/ – editors; removes its overrides too
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteSegment(actor, params.projectId, params.segmentId);
});
