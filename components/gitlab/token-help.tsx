/** Where a person gets a token for Flagpost, on the instance they are connecting. */
export function TokenHelp({ instanceUrl }: { instanceUrl: string }) {
  const base = safeBase(instanceUrl);
  return (
    <div className="space-y-2 text-xs text-zinc-600 dark:text-zinc-400">
      <p>
        Use a <strong>project or group access token</strong> with the <code>api</code> scope and at least the{" "}
        <strong>Developer</strong> role (Maintainer lets Flagpost create the webhook for you). Flagpost needs{" "}
        <code>api</code> to post comments and add labels; <code>read_api</code> is not enough.
      </p>
      <ul className="list-disc space-y-1 pl-4">
        <li>
          Project token: in the GitLab project, <em>Settings → Access tokens</em> ({base ?? "your GitLab"}
          /&lt;group&gt;/&lt;project&gt;/-/settings/access_tokens).
        </li>
        <li>
          Group token (covers every project of the group): <em>Group → Settings → Access tokens</em> (
          {base ?? "your GitLab"}
          /groups/&lt;group&gt;/-/settings/access_tokens).
        </li>
        <li>
          On gitlab.com Free, project and group tokens are not available: use a personal access token, ideally
          of a dedicated user
          {base ? (
            <>
              {" "}
              (
              <a
                href={`${base}/-/user_settings/personal_access_tokens`}
                target="_blank"
                rel="noreferrer"
                className="font-medium text-accent-700 underline dark:text-accent-300"
              >
                create a personal access token
              </a>
              )
            </>
          ) : null}
          .
        </li>
      </ul>
    </div>
  );
}

/** The instance URL as typed, if it is one we may link to. */
function safeBase(value: string): string | null {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/i, "")}`;
  } catch {
    return null;
  }
}
