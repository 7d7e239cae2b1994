// Flag commands written in a comment on a linked issue or merge request, addressed to the
// integration's bot user. Provider-neutral and pure: finding the command in the comment's Markdown
// (ignoring code blocks, inline code and quotes) and reading its words. The grammar, one command
// per comment, on a line that starts with the mention (case-insensitive words):
//
//   @bot enable  [<feature>] in <environment>
//   @bot disable [<feature>] in <environment>
//   @bot set     [<feature>] to <value> in <environment>     value: true/false, 42, text or "quoted text"
//   @bot status  [<feature>]
//
// The feature may be left out when exactly one feature is linked to the item. Environments are
// matched by name, case-insensitively ("in production", "in Production").

export type FlagCommand =
  | { verb: "enable" | "disable"; feature: string | null; environment: string }
  | { verb: "set"; feature: string | null; value: string; quoted: boolean; environment: string }
  | { verb: "status"; feature: string | null };

export type ParsedComment =
  | { kind: "none" }
  | { kind: "command"; command: FlagCommand; line: string }
  | { kind: "invalid"; line: string; reason: string };

export const COMMAND_HELP =
  "Commands: `enable [feature] in <environment>`, `disable [feature] in <environment>`, " +
  "`set [feature] to <value> in <environment>`, `status [feature]`.";

/** The comment's lines outside fenced code blocks and quotes, with inline code removed. */
function plainLines(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  let quoteBlock = false;
  for (const raw of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const trimmed = raw.trimStart();
    const opener = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fence) {
      if (
        opener &&
        opener[0] === fence[0] &&
        opener.length >= fence.length &&
        !trimmed.slice(opener.length).trim()
      )
        fence = null;
      continue;
    }
    if (opener) {
      fence = opener;
      continue;
    }
    // GitLab's multi-line quote: >>> … >>>
    if (trimmed.startsWith(">>>")) {
      quoteBlock = !quoteBlock;
      continue;
    }
    if (quoteBlock || trimmed.startsWith(">")) continue;
    // Indented code (four spaces or a tab).
    if (/^( {4}|\t)/.test(raw)) continue;
    lines.push(raw.replace(/(`+)[\s\S]*?\1/g, " "));
  }
  return lines;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function unquote(text: string): { value: string; quoted: boolean } {
  const match = /^"((?:[^"\\]|\\.)*)"$/.exec(text) ?? /^'([^']*)'$/.exec(text);
  return match ? { value: match[1]!.replace(/\\(.)/g, "$1"), quoted: true } : { value: text, quoted: false };
}

/** Reads the first line addressed to `@botUsername` (null username: nothing is addressed). */
export function parseFlagComment(markdown: string, botUsername: string | null): ParsedComment {
  if (!botUsername) return { kind: "none" };
  const mention = new RegExp(`^\\s*@${escapeRegExp(botUsername)}(?![\\w.-])\\s*(.*)$`, "i");
  for (const line of plainLines(markdown)) {
    const match = mention.exec(line);
    if (!match) continue;
    const words = match[1]!
      .trim()
      .replace(/[.!]+$/, "")
      .trim();
    const shown = line.trim();
    const command = readCommand(words);
    if (typeof command === "string") return { kind: "invalid", line: shown, reason: command };
    return { kind: "command", command, line: shown };
  }
  return { kind: "none" };
}

const FEATURE = "([A-Za-z0-9_.:-]+)";

function readCommand(words: string): FlagCommand | string {
  const verb = /^(\S+)/.exec(words)?.[1]?.toLowerCase();
  if (!verb) return `No command given. ${COMMAND_HELP}`;
  let match: RegExpExecArray | null;
  switch (verb) {
    case "enable":
    case "disable":
      match = new RegExp(`^${verb}(?:\\s+${FEATURE})?\\s+in\\s+(.+)$`, "i").exec(words);
      if (!match) return `Write \`${verb} [feature] in <environment>\`.`;
      // "enable in production": the optional feature would swallow "in".
      return { verb, feature: match[1] ?? null, environment: match[2]!.trim() };
    case "set": {
      match = new RegExp(`^set(?:\\s+${FEATURE})?\\s+to\\s+(.+?)\\s+in\\s+([^"']+)$`, "i").exec(words);
      if (!match) return "Write `set [feature] to <value> in <environment>`.";
      const { value, quoted } = unquote(match[2]!.trim());
      return { verb: "set", feature: match[1] ?? null, value, quoted, environment: match[3]!.trim() };
    }
    case "status":
      match = new RegExp(`^status(?:\\s+${FEATURE})?$`, "i").exec(words);
      if (!match) return "Write `status [feature]`.";
      return { verb: "status", feature: match[1] ?? null };
    default:
      return `Unknown command \`${verb.slice(0, 40)}\`. ${COMMAND_HELP}`;
  }
}
