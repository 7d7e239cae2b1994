// Escaping user-controlled text (feature, environment and segment names, values, descriptions)
// for GitLab-flavoured Markdown, so nothing breaks a table, injects HTML or links, runs a quick
// action (GitLab executes lines starting with "/" in a note with the token's permissions) or
// becomes a GitLab reference: `@all` would notify every member, `#12`/`!3`/`&4` would add "mentioned
// in" notes to other items. GitLab (14.0+) treats backslash-escaped punctuation as literal text.

const INLINE_SPECIALS = /[\\`*_{}[\]()#+\-.!|~>@%$&^]/g;

/** One line of plain text: newlines flattened, Markdown specials and reference sigils escaped, HTML neutralised. */
export function escapeInline(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(INLINE_SPECIALS, (char) => `\\${char}`)
    .replace(/</g, "&lt;")
    .replace(/^\s*\//, (match) => match.replace("/", "\\/"));
}

/**
 * A code span that shows `text` literally inside a table cell. Newlines become ⏎, pipes are
 * escaped (GFM splits cells on "|" even inside code), and the fence is longer than any run of
 * backticks in the text.
 */
export function codeSpanInTable(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, "⏎").replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.startsWith(" ") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Keeps at most `max` characters and says so visibly. */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, truncated: false };
  return { text: `${chars.slice(0, max - 1).join("")}…`, truncated: true };
}

/** A Markdown link whose label is escaped and whose URL cannot close the link early. */
export function link(label: string, url: string): string {
  const safeUrl = url.replace(/[()\s<>]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${escapeInline(label)}](${safeUrl})`;
}

/**
 * Markdown someone typed (kept as written), with every line that GitLab would run as a quick
 * action escaped: outside code fences, a line starting with "/" becomes "\/…", which renders the
 * same but runs nothing (`/move`, `/close`, … would act with the integration token's rights).
 */
export function neutraliseQuickActions(markdown: string): string {
  let fence: string | null = null;
  return markdown
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (opener && (fence === null || (opener[0] === fence[0] && opener.length >= fence.length))) {
        fence = fence === null ? opener : null;
        return line;
      }
      return fence === null ? line.replace(/^(\s*)\//, "$1\\/") : line;
    })
    .join("\n");
}
