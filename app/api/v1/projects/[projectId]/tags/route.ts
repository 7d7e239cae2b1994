import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { createTag, listTags, serializeTag } from "@/lib/flags/tags";
import { createTagBody } from "@/lib/validations/core";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/tags/ – a plain array (projects have few tags)
export const GET = withRoute({ params }, async ({ actor, params }) =>
  (await listTags(actor, params.projectId)).map(serializeTag),
);

// POST /api/v1/projects/{project_id}/tags/ – editors; user tags only
export const POST = withRoute({ params, body: createTagBody, status: 201 }, async ({ actor, params, body }) =>
  serializeTag(await createTag(actor, params.projectId, body)),
);
