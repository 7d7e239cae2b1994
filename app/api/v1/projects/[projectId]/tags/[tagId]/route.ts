import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { deleteTag, serializeTag, updateTag } from "@/lib/flags/tags";
import { updateTagBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam, tagId: idParam });

// PATCH /api/v1/projects/{project_id}/tags/{tag_id}/ – editors; system tags are refused (403)
export const PATCH = withRoute({ params, body: updateTagBody }, async ({ actor, params, body }) =>
  serializeTag(await updateTag(actor, params.projectId, params.tagId, body)),
);

// DELETE /api/v1/projects/{project_id}/tags/{tag_id}/ – editors; system tags are refused (403)
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteTag(actor, params.projectId, params.tagId);
});
