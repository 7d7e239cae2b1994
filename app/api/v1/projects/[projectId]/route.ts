import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { deleteProject, getProject, serializeProject, updateProject } from "@/lib/flags/projects";
import { updateProjectBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/
export const GET = withRoute({ params }, async ({ actor, params }) =>
  serializeProject(await getProject(actor, params.projectId)),
);

// PATCH /api/v1/projects/{project_id}/ – project admins
export const PATCH = withRoute({ params, body: updateProjectBody }, async ({ actor, params, body }) =>
  serializeProject(await updateProject(actor, params.projectId, body)),
);

// DELETE /api/v1/projects/{project_id}/ – project admins
export const DELETE = withRoute({ params }, async ({ actor, params }) => {
  await deleteProject(actor, params.projectId);
});
