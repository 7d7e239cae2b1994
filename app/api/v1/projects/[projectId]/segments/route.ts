import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { createSegment, listSegments, serializeSegment } from "@/lib/flags/segments";
import { createSegmentBody, segmentListFilters } from "@/lib/validations/core";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/segments/?search=
export const GET = withRoute(
  { params, query: paginationQuery.extend(segmentListFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listSegments(actor, params.projectId, query, query.search);
    return paginate(url, query, count, rows.map(serializeSegment));
  },
);

// POST /api/v1/projects/{project_id}/segments/ – editors
export const POST = withRoute(
  { params, body: createSegmentBody, status: 201 },
  async ({ actor, params, body }) => serializeSegment(await createSegment(actor, params.projectId, body)),
);
