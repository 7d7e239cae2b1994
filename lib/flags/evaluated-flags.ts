import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { requireEnvironmentRole } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import { evaluateContext } from "@/lib/engine";
import {
  assembleEvaluationContext,
  loadEnvironmentData,
  loadIdentityData,
} from "@/lib/flags/evaluation-context";
import { serializeIdentity } from "@/lib/flags/identities";

// "Why does this identity get this value?": every flag of the environment evaluated by the engine
// for one stored identity, with Flagsmith's reason for each.

export async function evaluatedFlagsOfIdentity(actor: Actor, environmentApiKey: string, identityId: number) {
  const { environment } = await requireEnvironmentRole(actor, environmentApiKey, "VIEWER");
  const [data, identity] = await Promise.all([
    loadEnvironmentData(prisma, environment.id),
    loadIdentityData(prisma, environment.id, identityId),
  ]);
  const result = evaluateContext(assembleEvaluationContext(data, identity));
  const identityRow = await prisma.identity.findUniqueOrThrow({ where: { id: identity.id } });
  return {
    identity: serializeIdentity(identityRow),
    flags: data.features.flatMap((feature) => {
      const flag = result.flags[feature.name];
      if (!flag) return [];
      return [
        {
          feature: { id: feature.id, name: feature.name },
          enabled: flag.enabled,
          feature_state_value: flag.value,
          reason: flag.reason,
          variant: flag.variant,
        },
      ];
    }),
    segments: result.segments.map((segment) => {
      const id = segment.metadata?.id;
      return typeof id === "number" ? { id, name: segment.name } : { name: segment.name };
    }),
  };
}
