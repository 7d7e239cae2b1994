import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { createFeature, listFeatures, serializeFeature } from "@/lib/flags/features";
import { createFeatureBody, featureListFilters } from "@/lib/validations/core";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/features/ – search, tag, environment, sort and archive filters
export const GET = withRoute(
  { params, query: paginationQuery.extend(featureListFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listFeatures(actor, params.projectId, query, query);
    return paginate(url, query, count, rows.map(serializeFeature));
  },
);

// POST /api/v1/projects/{project_id}/features/ – editors; creates its state in every environment
export const POST = withRoute(
  { params, body: createFeatureBody, status: 201 },
  async ({ actor, params, body }) => serializeFeature(await createFeature(actor, params.projectId, body)),
);
