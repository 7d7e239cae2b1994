import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { serializeLink } from "@/lib/gitlab/links/link-metadata";
import { linkFeatureItem, listFeatureLinks } from "@/lib/gitlab/links/links";
import { linkItemBody } from "@/lib/validations/gitlab";

const params = z.object({ projectId: idParam, featureId: idParam });

// GET /api/v1/projects/{project_id}/features/{feature_id}/feature-external-resources/ – viewers;
// metadata older than a minute is re-read from GitLab first (served from cache, `stale`, when GitLab is slow or down)
export const GET = withRoute({ params }, async ({ actor, params }) => ({
  results: (await listFeatureLinks(actor, params.projectId, params.featureId)).map(serializeLink),
}));

// POST /api/v1/projects/{project_id}/features/{feature_id}/feature-external-resources/ – editors: link an issue or MR
export const POST = withRoute({ params, body: linkItemBody, status: 201 }, async ({ actor, params, body }) =>
  serializeLink(await linkFeatureItem(actor, params.projectId, params.featureId, body)),
);
