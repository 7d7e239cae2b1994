import "server-only";
import type { ContextValue, EvaluationResult, FlagResult } from "@/lib/engine";
import {
  evaluateIdentity,
  evaluateIdentityDifferences,
  fragmentCache,
  memoizedText,
  strongEtag,
  type EnvironmentSnapshot,
} from "@/lib/serving/snapshot";
import { SdkError, type SdkProtocol } from "@/lib/serving/sdk-route";

// The OpenFeature Remote Evaluation Protocol (open-feature/protocol, service/openapi.yaml) on the
// same snapshots and engine. The evaluation context's `targetingKey` is the identity's identifier;
// its other fields are that identity's traits for this evaluation only (never stored).
//
// Values: a flag with a value answers its value; a flag without one answers its enabled state as
// a boolean, so boolean flags work with getBooleanValue. A disabled flag keeps its value with the
// reason DISABLED (and `metadata.enabled: false`), as Flagsmith's SDKs return the value too.

export const MAX_CONTEXT_BYTES = 64 * 1024;
const MAX_CONTEXT_FIELDS = 200;
const MAX_FIELD_NAME_LENGTH = 200;
const MAX_STRING_BYTES = 2048;

/** Errors of the single-flag endpoint carry the flag key; the bulk endpoint's do not. */
export function ofrepProtocol(flagKey?: string): SdkProtocol {
  return {
    error(status, message, code) {
      // 401/403 are bare statuses in the spec; a short explanation does no harm.
      if (status === 401 || status === 403 || status === 429)
        return new SdkError(status, { errorDetails: message });
      const errorCode =
        status === 404
          ? "FLAG_NOT_FOUND"
          : status >= 500
            ? "GENERAL"
            : code === "TARGETING_KEY_MISSING" || code === "INVALID_CONTEXT"
              ? code
              : code === "PARSE_ERROR" || code === "MEDIA_TYPE"
                ? "PARSE_ERROR"
                : "INVALID_CONTEXT";
      // Every client error is a 400 in OFREP (oversized and wrongly typed bodies included).
      const httpStatus = status === 404 || status >= 500 ? status : 400;
      return new SdkError(
        httpStatus,
        flagKey === undefined
          ? { errorCode, errorDetails: message }
          : { key: flagKey, errorCode, errorDetails: message },
      );
    },
  };
}

export interface OfrepSubject {
  targetingKey: string | null;
  traits: Record<string, ContextValue>;
}

/** Reads `{ context: { targetingKey?, …traits } }`; anything else is INVALID_CONTEXT. */
export function parseOfrepRequest(protocol: SdkProtocol, body: unknown): OfrepSubject {
  const invalid = (message: string) => protocol.error(400, message, "INVALID_CONTEXT");
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalid("The request body must be a JSON object");
  const context = (body as { context?: unknown }).context;
  if (context === undefined || context === null) return { targetingKey: null, traits: {} };
  if (typeof context !== "object" || Array.isArray(context)) throw invalid("context must be an object");
  const entries = Object.entries(context as Record<string, unknown>);
  if (entries.length > MAX_CONTEXT_FIELDS + 1)
    throw invalid(`context may have at most ${MAX_CONTEXT_FIELDS} fields besides targetingKey`);
  let targetingKey: string | null = null;
  const traits: Record<string, ContextValue> = {};
  for (const [name, value] of entries) {
    if (name === "targetingKey") {
      if (value === undefined || value === null || value === "") continue;
      if (typeof value !== "string" || value.length > 2000)
        throw invalid("targetingKey must be a string of at most 2000 characters");
      targetingKey = value;
      continue;
    }
    if (name.length === 0 || name.length > MAX_FIELD_NAME_LENGTH)
      throw invalid(`Context field names must have 1 to ${MAX_FIELD_NAME_LENGTH} characters`);
    if (value === null || typeof value === "boolean") traits[name] = value;
    else if (typeof value === "number" && Number.isFinite(value)) traits[name] = value;
    else if (typeof value === "string" && Buffer.byteLength(value, "utf8") <= MAX_STRING_BYTES)
      traits[name] = value;
    else
      throw invalid(
        `Context field "${name}" must be a string (at most ${MAX_STRING_BYTES} bytes), a number, a boolean or null`,
      );
  }
  if (targetingKey === null && Object.keys(traits).length > 0)
    throw protocol.error(
      400,
      "Context attributes are traits of an identity: send a targetingKey with them",
      "TARGETING_KEY_MISSING",
    );
  return { targetingKey, traits };
}

function evaluate(snapshot: EnvironmentSnapshot, subject: OfrepSubject): EvaluationResult {
  return subject.targetingKey === null
    ? snapshot.environmentResult
    : evaluateIdentity(snapshot, subject.targetingKey, subject.traits);
}

function reasonOf(flag: FlagResult): string {
  if (!flag.enabled) return "DISABLED";
  if (flag.reason.startsWith("TARGETING_MATCH")) return "TARGETING_MATCH";
  if (flag.reason.startsWith("SPLIT")) return "SPLIT";
  return "DEFAULT";
}

function flagAnswer(snapshot: EnvironmentSnapshot, key: string, flag: FlagResult) {
  const hasValue = flag.value !== null && flag.value !== "";
  const answer: {
    key: string;
    value: ContextValue;
    reason: string;
    variant?: string;
    metadata: Record<string, string | number | boolean>;
  } = {
    key,
    value: hasValue ? flag.value : flag.enabled,
    reason: reasonOf(flag),
    metadata: { enabled: flag.enabled, featureId: snapshot.featureIds.get(key) ?? 0 },
  };
  if (flag.variant) answer.variant = flag.variant;
  return answer;
}

/** POST /ofrep/v1/evaluate/flags/{key} */
export function evaluateOfrepFlag(
  protocol: SdkProtocol,
  snapshot: EnvironmentSnapshot,
  key: string,
  subject: OfrepSubject,
) {
  const flag = evaluate(snapshot, subject).flags[key];
  if (!flag) throw protocol.error(404, `Flag "${key}" does not exist in this environment`);
  return flagAnswer(snapshot, key, flag);
}

/** POST /ofrep/v1/evaluate/flags: every flag, with a strong ETag of the answer. */
export function evaluateOfrepBulk(
  snapshot: EnvironmentSnapshot,
  subject: OfrepSubject,
): { body: string; etag: string } {
  const fragments = fragmentCache(snapshot, "ofrep", true, (key, flag) => flagAnswer(snapshot, key, flag));
  const base = snapshot.environmentResult.flags;
  if (subject.targetingKey === null)
    return memoizedText(snapshot, "ofrep-bulk", () => `{"flags":${fragments.jsonArray(base)}}`);
  // Most flags of an identity are the environment's: only those that differ are serialized.
  const changes = evaluateIdentityDifferences(snapshot, subject.targetingKey, subject.traits);
  return fragments.answerWith(base, changes, {}, (flags) => {
    const body = `{"flags":${flags}}`;
    return { body, etag: strongEtag(body) };
  });
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key`. */
export function ofrepKey(req: Request): string | null {
  const authorization = req.headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? req.headers.get("x-api-key");
}

/** Whether an If-None-Match header names this ETag (or is *). */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag || tag === "*");
}
