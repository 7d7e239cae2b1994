import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { idParam, withRoute } from "@/lib/api/with-route";
import { listOrganisationAuditLog, serializeAuditEntry } from "@/lib/audit/audit-log";
import { auditLogFilters } from "@/lib/validations/core";

const params = z.object({ organisationId: idParam });

// GET /api/v1/organisations/{id}/audit-log/ – every entry of the organisation (organisation admins)
export const GET = withRoute(
  { params, query: paginationQuery.extend(auditLogFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listOrganisationAuditLog(actor, params.organisationId, query, query);
    return paginate(url, query, count, rows.map(serializeAuditEntry));
  },
);
