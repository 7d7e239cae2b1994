import { z } from "zod";
import { idParam, withRoute } from "@/lib/api/with-route";
import { idQuery } from "@/lib/validations/common";
import { listScheduledChanges, serializeScheduledChange } from "@/lib/release-rules/firings";

const params = z.object({ projectId: idParam });
const query = z.object({ feature: idQuery.optional() });

// GET /api/v1/projects/{project_id}/scheduled-changes/?feature= – viewers: pending delayed release-rule changes
export const GET = withRoute({ params, query }, async ({ actor, params, query }) => ({
  results: (await listScheduledChanges(actor, params.projectId, query.feature)).map(serializeScheduledChange),
}));
