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
  const safeUrl = url.replace(
    /[()\s<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return `[${escapeInline(label)}](${safeUrl})`;
}

// Any run of spaces a line may start with: every Unicode space (JS `\s`: tab, NBSP, U+2000–U+200A,
// U+3000, BOM, …) but line breaks, plus zero-width characters that render as nothing.
const LINE_START_SLASH = /(^|\r\n|\r|\n)((?:[^\S\r\n]|[\u200b-\u200d\u2060])*)\//g;

/**
 * Markdown someone typed (kept as written), with every line that could run as a quick action
 * escaped: a line starting with "/" after any spaces becomes "\/…", which renders the same
 * outside code but runs nothing (`/move`, `/close`, … would act with the integration token's
 * rights). Code fences are deliberately not trusted: a fence GitLab reads differently (a backtick
 * in its info string, a tab or NBSP before it) would otherwise hide a command, so a line in a
 * code block shows the backslash instead.
 */
export function neutraliseQuickActions(markdown: string): string {
  return markdown.replace(LINE_START_SLASH, "$1$2\\/");
}

// Text people edit before it is sent (the cleanup issue's body) is written with as few escapes as
// possible: only what would change the Markdown around it. Sigils stay readable (`MR !34`,
// `2026-12-02`); a mention of a person or group (`@name`) is escaped so nobody is notified by text
// copied from a title. Quick actions are neutralised when the text is sent (neutraliseQuickActions).
// `_` inside a word (`new_checkout`) is literal in GitLab; only a `_` at a word's edge can emphasise.
const PLAIN_SPECIALS = /[\\`*[\]|]|(?<!\w)_|_(?!\w)/g;

/** One line of plain text for editable Markdown: newlines flattened, only structural characters and mentions escaped. */
export function escapePlainInline(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, " ")
    .replace(PLAIN_SPECIALS, (char) => `\\${char}`)
    .replace(/</g, "&lt;")
    .replace(/(^|[^\w])@(?=[\w.-])/g, "$1\\@");
}
