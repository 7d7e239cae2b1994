import "server-only";
import { createHash } from "node:crypto";

// Which deliveries are the same event. GitLab 17.4+ sends `Idempotency-Key`, stable across its
// retries and manual "Resend request"; 16.2+ sends `X-Gitlab-Webhook-UUID`, new per request, so it
// only catches a request that reached us twice. Older GitLab sends neither: every delivery is then
// applied, which is harmless because tagging is state-based and stale updates are skipped.
// (`X-Gitlab-Event-UUID` is shared by all events of one originating request, so it is no key.)

const PLAIN_KEY = /^[A-Za-z0-9._:-]{1,100}$/;

export interface DeliveryKey {
  /** The header value as received (shortened), for the delivery log. */
  raw: string;
  /** `${projectId}:${key}`, unique among processed deliveries. */
  dedupeKey: string;
}

/** The delivery's key, or null when GitLab sent no usable header. */
export function deliveryKey(headers: Headers, projectId: number): DeliveryKey | null {
  const raw = (headers.get("idempotency-key") ?? headers.get("x-gitlab-webhook-uuid") ?? "").trim();
  if (!raw) return null;
  // Anything unusual (long, odd characters) is hashed: the unique index must never choke on it.
  const key = PLAIN_KEY.test(raw) ? raw : `sha256:${createHash("sha256").update(raw, "utf8").digest("hex")}`;
  return { raw: raw.slice(0, 200), dedupeKey: `${projectId}:${key}` };
}
