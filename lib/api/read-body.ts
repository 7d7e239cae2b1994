import "server-only";
import { ApiError } from "@/lib/api/errors";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body as text, refusing (413) as soon as it grows past `maxBytes`. */
export async function readBodyText(req: Request, maxBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  // Invalid UTF-8 becomes U+FFFD rather than an exception; validation then rejects the content.
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number) {
  return new ApiError("payload_too_large", `Request body is larger than ${Math.round(maxBytes / 1024)} KB`);
}

/** Parses JSON text; an empty body counts as `{}`. Malformed JSON is a 400. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError("bad_request", `Malformed JSON body: ${(error as Error).message}`);
  }
}
