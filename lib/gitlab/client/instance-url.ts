import "server-only";
// A GitLab instance's base URL as the user gives it: https://gitlab.com, or a self-managed host,
// possibly under a path prefix (https://example.com/gitlab). Stored normalised, without a trailing
// slash; the API lives at `${base}/api/v4`.

export class InstanceUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstanceUrlError";
  }
}

export function normaliseInstanceUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new InstanceUrlError(
      "The GitLab instance URL is not a valid URL (example: https://gitlab.example.com)",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InstanceUrlError(
      `The GitLab instance URL must use http or https, not ${url.protocol.replace(":", "")}`,
    );
  }
  if (url.username || url.password)
    throw new InstanceUrlError("Put the access token in its own field, not in the URL");
  if (url.search || url.hash)
    throw new InstanceUrlError("The GitLab instance URL must not contain a query or fragment");
  // People often paste the API root or a trailing slash; both mean the same instance.
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/i, "");
  return `${url.protocol}//${url.host.toLowerCase()}${path}`;
}
