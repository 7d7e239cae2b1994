import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import {
  createSegmentOverride,
  listSegmentOverrides,
  serializeSegmentOverride,
} from "@/lib/flags/segment-overrides";
import { createSegmentOverrideBody, segmentOverrideListFilters } from "@/lib/validations/core";

const params = z.object({ projectId: idParam, featureId: idParam });

// GET /api/v1/projects/{project_id}/features/{feature_id}/segment-overrides/ – by environment, then priority
export const GET = withRoute(
  { params, query: paginationQuery.extend(segmentOverrideListFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listSegmentOverrides(
      actor,
      params.projectId,
      params.featureId,
      query,
      query,
    );
    return paginate(url, query, count, rows.map(serializeSegmentOverride));
  },
);

// POST /api/v1/projects/{project_id}/features/{feature_id}/segment-overrides/ – editors
export const POST = withRoute(
  { params, body: createSegmentOverrideBody, status: 201 },
  async ({ actor, params, body }) =>
    serializeSegmentOverride(await createSegmentOverride(actor, params.projectId, params.featureId, body)),
);
