import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { neutraliseQuickActions, escapePlainInline } from "@/lib/vcs/markdown";

// GitLab runs a line of a note or description as a quick action when it starts with "/" and a
// command name (case-insensitive, e.g. `/close`, `/LABEL ~x`), unless its own extractor decides the
// line sits in a code block, HTML block or `>>>` quote. Which lines those are depends on GitLab's
// version and does not always agree with how it renders the Markdown, so Flagpost's guarantee does
// not rely on it: after neutralising, no line starts with "/" at all, even after spaces.

const LINE_BREAK = /\r\n|\r|\n/;
// Any space a browser or GitLab might collapse or skip: Unicode spaces, tabs, BOM, zero-width.
const LEADING_SPACE = /^(?:[^\S\r\n]|[\u200b-\u200d\u2060])*/;

/** Lines that GitLab could take for a command, whatever it thinks of fences and blocks. */
function commandLines(text: string): string[] {
  return text.split(LINE_BREAK).filter((line) => line.replace(LEADING_SPACE, "").startsWith("/"));
}

/** The command lines by GitLab's own rule (a "/" in the first column, a command name), ignoring every block. */
function gitlabCommandLines(text: string): string[] {
  return text.split("\n").filter((line) => /^\/[a-z_]+(?:[ ].*)?\r?$/i.test(line));
}

const adversarialPiece = fc.oneof(
  fc.constantFrom(
    "/close",
    "/label ~bug",
    "/assign @root",
    "/CONFIDENTIAL",
    "/unassign",
    "/title x",
    "/move other/project",
    "/ ",
    "```",
    "````",
    "```a`b",
    "```sh",
    "~~~",
    "~~~~",
    "\t```",
    "\u00a0```",
    "  ```",
    "    ",
    "\t",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\u202f",
    "\ufeff",
    "\u200b",
    "\u2028",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "<pre>",
    "</pre>",
    "<details>",
    "</details>",
    "<!--",
    "-->",
    ">>>",
    "> ",
    '"',
    "'",
    "`",
    "\\",
    "\\/",
    "text",
    " ",
    "&nbsp;",
    "&#47;",
  ),
  fc.string({ maxLength: 8 }),
);
const adversarialText = fc.array(adversarialPiece, { maxLength: 40 }).map((pieces) => pieces.join(""));

describe("neutraliseQuickActions", () => {
  it("leaves no line GitLab could run, whatever the fences, spaces, line breaks or HTML (property)", () => {
    fc.assert(
      fc.property(adversarialText, (text) => {
        const safe = neutraliseQuickActions(text);
        expect(commandLines(safe)).toEqual([]);
        expect(gitlabCommandLines(safe)).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it("changes nothing but a backslash before each such slash, line breaks included (property)", () => {
    fc.assert(
      fc.property(adversarialText, (text) => {
        const safe = neutraliseQuickActions(text);
        const before = text.split(/(\r\n|\r|\n)/);
        const after = safe.split(/(\r\n|\r|\n)/);
        expect(after).toHaveLength(before.length);
        after.forEach((line, index) => {
          const original = before[index]!;
          const indent = original.match(LEADING_SPACE)![0];
          const expected = original.slice(indent.length).startsWith("/")
            ? `${indent}\\${original.slice(indent.length)}`
            : original;
          expect(line).toBe(expected);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ["a fence whose info string has a backtick", "```a`b\n/label ~secret\n```"],
    ["a fence indented with a tab", "\t```\n/assign @root\n\t```"],
    ["a fence indented with a non-breaking space", "\u00a0```\n/confidential\n\u00a0```"],
    ["a longer fence closed by a shorter one of another kind", "~~~~\n```\n/close\n~~~~"],
    ["an HTML block", "<pre>\n/close\n</pre>"],
    ["CR line breaks", "text\r/close\r"],
  ])("escapes commands after %s", (_case, text) => {
    expect(commandLines(neutraliseQuickActions(text))).toEqual([]);
    expect(neutraliseQuickActions(text)).toMatch(/\\\/(label|assign|confidential|close)/);
  });
});

describe("escapePlainInline", () => {
  it("leaves sigils, dates and words with underscores readable", () => {
    expect(escapePlainInline("MR !34 merged on 2026-12-02 for new_checkout (see #12)")).toBe(
      "MR !34 merged on 2026-12-02 for new_checkout (see #12)",
    );
  });

  it("escapes what would change the Markdown around it, HTML and mentions", () => {
    expect(escapePlainInline("a `b` *c* _d_ [e] f|g <h> @all mail a@b.c")).toBe(
      "a \\`b\\` \\*c\\* \\_d\\_ \\[e\\] f\\|g &lt;h> \\@all mail a@b.c",
    );
    expect(escapePlainInline("one\ntwo")).toBe("one two");
  });
});
