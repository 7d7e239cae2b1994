import { describe, expect, it } from "vitest";
import { parseFlagComment } from "@/lib/vcs/flag-commands";

const BOT = "flagpost_bot";
const parse = (text: string) => parseFlagComment(text, BOT);

describe("flag commands in comments", () => {
  it("reads enable, disable, set and status, with or without the feature", () => {
    expect(parse("@flagpost_bot enable fast_cart in Staging")).toMatchObject({
      kind: "command",
      command: { verb: "enable", feature: "fast_cart", environment: "Staging" },
    });
    expect(parse("Thanks!\n@FlagPost_Bot DISABLE in production.")).toMatchObject({
      command: { verb: "disable", feature: null, environment: "production" },
    });
    expect(parse('@flagpost_bot set fast_cart to "blue sky" in Staging')).toMatchObject({
      command: { verb: "set", feature: "fast_cart", value: "blue sky", quoted: true, environment: "Staging" },
    });
    expect(parse("@flagpost_bot set to 42 in Dev")).toMatchObject({
      command: { verb: "set", feature: null, value: "42", quoted: false, environment: "Dev" },
    });
    expect(parse("@flagpost_bot status")).toMatchObject({ command: { verb: "status", feature: null } });
  });

  it("ignores code blocks, inline code, quotes, other users and mentions mid-sentence", () => {
    expect(parse("```\n@flagpost_bot enable x in Staging\n```")).toEqual({ kind: "none" });
    expect(parse("~~~md\n@flagpost_bot enable x in Staging\n~~~")).toEqual({ kind: "none" });
    expect(parse("> @flagpost_bot enable x in Staging")).toEqual({ kind: "none" });
    expect(parse(">>>\n@flagpost_bot enable x in Staging\n>>>")).toEqual({ kind: "none" });
    expect(parse("    @flagpost_bot enable x in Staging")).toEqual({ kind: "none" });
    expect(parse("`@flagpost_bot enable x in Staging`")).toEqual({ kind: "none" });
    expect(parse("@flagpost_bot2 enable x in Staging")).toEqual({ kind: "none" });
    expect(parse("ask @flagpost_bot enable x in Staging")).toEqual({ kind: "none" });
    expect(parseFlagComment("@flagpost_bot enable x in Staging", null)).toEqual({ kind: "none" });
  });

  it("explains what is wrong with a malformed command", () => {
    expect(parse("@flagpost_bot enable x")).toMatchObject({
      kind: "invalid",
      reason: expect.stringContaining("in <environment>"),
    });
    expect(parse("@flagpost_bot launch x")).toMatchObject({
      kind: "invalid",
      reason: expect.stringContaining("Unknown command `launch`"),
    });
    expect(parse("@flagpost_bot")).toMatchObject({
      kind: "invalid",
      reason: expect.stringContaining("No command"),
    });
  });
});
