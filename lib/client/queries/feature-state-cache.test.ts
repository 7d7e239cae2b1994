import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { patchCachedFeatureState } from "@/lib/client/queries/feature-state-cache";
import { queryKeys } from "@/lib/client/queries/keys";
import { rollback } from "@/lib/client/queries/optimistic";
import type { Feature, FeatureState, Page } from "@/lib/client/queries/types";

const feature = (id: number, stateId: number, enabled: boolean): Feature => ({
  id,
  name: `f${id}`,
  description: "",
  default_enabled: false,
  initial_value: null,
  tags: [],
  project: 1,
  created_at: "",
  updated_at: "",
  is_archived: false,
  is_permanent: false,
  num_segment_overrides: 0,
  linked_items_count: 0,
  stale: false,
  ready_to_delete: false,
  environment_state: { id: stateId, enabled, feature_state_value: "a", updated_at: "" },
});

const page = <T>(results: T[]): Page<T> => ({ count: results.length, next: null, previous: null, results });

describe("optimistic feature-state updates", () => {
  it("patches the state in feature lists and state lists, and rolls back exactly", async () => {
    const client = new QueryClient();
    const listKey = queryKeys.features.list(1, { environment: 5, page: 1 });
    const stateKey = queryKeys.featureStates.list("key-5", { feature: 10 });
    const featuresBefore = page([feature(10, 100, false), feature(11, 101, false)]);
    const statesBefore = page<FeatureState>([
      { id: 100, feature: 10, environment: 5, enabled: false, feature_state_value: "a", updated_at: "" },
    ]);
    client.setQueryData(listKey, featuresBefore);
    client.setQueryData(stateKey, statesBefore);

    const target = {
      projectId: 1,
      apiKey: "key-5",
      stateId: 100,
      featureName: "f10",
      environmentName: "Dev",
    };
    const snapshot = await patchCachedFeatureState(client, target, { enabled: true, feature_state_value: 0 });

    const features = client.getQueryData<Page<Feature>>(listKey)!;
    expect(features.results[0]!.environment_state).toMatchObject({ enabled: true, feature_state_value: 0 });
    expect(features.results[1]!.environment_state?.enabled).toBe(false);
    expect(client.getQueryData<Page<FeatureState>>(stateKey)!.results[0]).toMatchObject({
      enabled: true,
      feature_state_value: 0,
    });

    rollback(client, snapshot);
    expect(client.getQueryData(listKey)).toEqual(featuresBefore);
    expect(client.getQueryData(stateKey)).toEqual(statesBefore);
  });
});
