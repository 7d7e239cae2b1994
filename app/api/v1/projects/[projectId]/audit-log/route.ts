import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { listProjectAuditLog, serializeAuditEntry } from "@/lib/audit/audit-log";
import { auditLogFilters } from "@/lib/validations/core";

const params = z.object({ projectId: idParam });

// GET /api/v1/projects/{project_id}/audit-log/?feature=&environment=&search= – newest first
export const GET = withRoute(
  { params, query: paginationQuery.extend(auditLogFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listProjectAuditLog(actor, params.projectId, query, query);
    return paginate(url, query, count, rows.map(serializeAuditEntry));
  },
);
