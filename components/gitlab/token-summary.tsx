import { Badge } from "@/components/ui/badge";
import type { GitLabTokenFacts } from "@/lib/client/queries/gitlab-types";

// Expiry dates are calendar days in UTC; format them without shifting to the local time zone.
const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const formatDay = (value: string) => day.format(new Date(`${value}T00:00:00Z`));

/** What the token is and whether it still works: name, scopes, expiry, acting user. */
export function TokenSummary({ token }: { token: GitLabTokenFacts }) {
  return (
    <div className="space-y-3">
      {token.status === "INVALID" && (
        <div
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
        >
          <p className="font-semibold">GitLab no longer accepts this token</p>
          <p>
            {token.status_reason ?? "GitLab rejected it."} Comments, labels and tags wait until you rotate the
            token; nothing is lost in the meantime.
          </p>
        </div>
      )}
      {token.status === "VALID" && token.expires_soon && token.expires_at && (
        <div
          role="status"
          className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
        >
          The token expires on {formatDay(token.expires_at)}. Create a new one in GitLab and rotate it here
          before then.
        </div>
      )}
      {/* Long token names and ids wrap on phones instead of widening the page. */}
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm [&_dd]:[overflow-wrap:anywhere]">
        <dt className="text-zinc-500 dark:text-zinc-400">Token</dt>
        <dd data-testid="token-name" className="font-medium">
          {token.name ?? "(GitLab did not say; it is older than 15.5)"}
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Scopes</dt>
        <dd>{token.scopes.length ? token.scopes.join(", ") : "unknown"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Expires</dt>
        <dd data-testid="token-expiry" className="flex items-center gap-2">
          {token.expires_at ? formatDay(token.expires_at) : "never"}
          {token.expires_soon && <Badge tone="warning">Expires soon</Badge>}
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Acts as</dt>
        <dd>
          {token.user ? (
            <>
              {/* As GitLab writes a user: @username (bots too; GitLab marks them "Bot"). */}
              {token.user.username ? `@${token.user.username}` : `GitLab user ${token.user.id}`}
              {token.user.bot && <span className="text-zinc-500 dark:text-zinc-400"> (bot)</span>}
            </>
          ) : (
            "—"
          )}
        </dd>
      </dl>
    </div>
  );
}
