import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { serializeLink } from "@/lib/gitlab/links/link-metadata";
import { listFeatureLinks } from "@/lib/gitlab/links/links";

const params = z.object({ projectId: idParam, featureId: idParam });

// POST /api/v1/projects/{project_id}/features/{feature_id}/feature-external-resources/refresh/ – viewers:
// re-read every linked item's metadata from GitLab now; answers like the list
export const POST = withRoute({ params }, async ({ actor, params }) => ({
  results: (await listFeatureLinks(actor, params.projectId, params.featureId, { force: true })).map(
    serializeLink,
  ),
}));
