import { z } from "zod";
import { paginate, paginationQuery } from "@/lib/api/pagination";
import { environmentKeyParam, withRoute } from "@/lib/api/with-route";
import { listFeatureStates, serializeFeatureState } from "@/lib/flags/feature-states";
import { featureStateListFilters } from "@/lib/validations/core";

const params = z.object({ envApiKey: environmentKeyParam });

// GET /api/v1/environments/{api_key}/featurestates/?feature={id}
export const GET = withRoute(
  { params, query: paginationQuery.extend(featureStateListFilters.shape) },
  async ({ actor, params, query, url }) => {
    const { count, rows } = await listFeatureStates(actor, params.envApiKey, query, query);
    return paginate(url, query, count, rows.map(serializeFeatureState));
  },
);
