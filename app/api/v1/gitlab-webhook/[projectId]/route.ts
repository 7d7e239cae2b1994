import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { receiveGitLabWebhook } from "@/lib/gitlab/webhooks/receive-webhook";

const params = z.object({ projectId: idParam });

// POST /api/v1/gitlab-webhook/{project_id}/ – GitLab's webhook deliveries, authenticated by the
// X-Gitlab-Token secret. The body is read raw (1 MB cap) by the receiver, not by the wrapper.
export const POST = withRoute({ auth: "none", params }, ({ req, params }) =>
  receiveGitLabWebhook(req, params.projectId),
);
