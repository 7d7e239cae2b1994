import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  removeProjectMember,
  serializeProjectMember,
  updateProjectMember,
} from "@/lib/flags/project-members";
import { updateProjectMemberBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam, userId: idParam });

// PATCH /api/v1/projects/{project_id}/members/{user_id}/ – project admins
export const PATCH = withRoute({ params, body: updateProjectMemberBody }, async ({ actor, params, body }) =>
  serializeProjectMember(await updateProjectMember(actor, params.projectId, params.userId, body)),
);

// DELETE /api/v1/projects/{project_id}/members/{user_id}/ – project admins
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await removeProjectMember(actor, params.projectId, params.userId);
});
