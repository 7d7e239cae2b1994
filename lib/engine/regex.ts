import { RE2JS } from "re2js";

// REGEX conditions run on RE2 (re2js): matching time is linear in the input, so no pattern can
// hang the server through catastrophic backtracking. Flagsmith's Node engine tests
// `String(traitValue).match(new RegExp(pattern))`: a JavaScript regular expression, unanchored
// (a match anywhere in the value). We keep those semantics and accept only patterns that both
// JavaScript and RE2 compile, so a stored pattern means the same thing in a Flagsmith SDK:
// - backreferences and lookaheads (JavaScript only) are refused; so are RE2-only forms such as
//   `(?i)`, which JavaScript rejects (and Flagsmith's engine then never matches);
// - known remaining differences on patterns both accept: RE2's `\s` is ASCII whitespace only and
//   its `.` also matches `\r`, `\u2028`, `\u2029` and a whole astral character, where JavaScript's
//   `\s` includes Unicode spaces and its `.` stops at all line terminators. The differential test
//   leaves these constructs out of its generated patterns on purpose.
// Flagsmith's Python engine (its API server) uses `re.match`, anchored at the start only; the Node
// SDK does not anchor. We follow the SDK; write `^…` for a pattern that means the same in both.

const MAX_REGEX_PATTERN_LENGTH = 1_000;
/** Longer values never match: a bound on work per condition even in linear time. */
const MAX_REGEX_INPUT_LENGTH = 10_000;

export type RegexCheck = { ok: true } | { ok: false; reason: string };

type Compiled = { ok: true; re: RE2JS } | { ok: false; reason: string };

/**
 * Compiled patterns by text. Compiling is by far the costliest part of building a context's
 * segments (RE2 builds a program, JavaScript a parser check), and the same few patterns recur
 * across segments and across the contexts built per request; bounded, emptied when full.
 */
const compiledPatterns = new Map<string, Compiled>();
const MAX_CACHED_PATTERNS = 1_000;

function compilePattern(pattern: string): Compiled {
  if (pattern.length === 0) return { ok: false, reason: "REGEX needs a pattern" };
  if (pattern.length > MAX_REGEX_PATTERN_LENGTH) {
    return { ok: false, reason: `REGEX pattern must be at most ${MAX_REGEX_PATTERN_LENGTH} characters` };
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    return { ok: false, reason: `REGEX does not compile: ${(error as Error).message}` };
  }
  try {
    return { ok: true, re: RE2JS.compile(RE2JS.translateRegExp(pattern)) };
  } catch (error) {
    const detail = (error as Error).message.replace(/\s+/g, " ").trim();
    return {
      ok: false,
      reason: `REGEX uses a construct the safe regular-expression engine does not support (backreferences, lookaheads): ${detail}`,
    };
  }
}

function compiled(pattern: string): Compiled {
  let result = compiledPatterns.get(pattern);
  if (!result) {
    if (compiledPatterns.size >= MAX_CACHED_PATTERNS) compiledPatterns.clear();
    result = compilePattern(pattern);
    compiledPatterns.set(pattern, result);
  }
  return result;
}

/** Whether `pattern` is accepted for a REGEX condition (compiles in JavaScript and in RE2, not too long). */
export function checkRegexPattern(pattern: string): RegexCheck {
  const result = compiled(pattern);
  return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

/** A tester for `pattern`, or null when the pattern is refused (then the condition never matches). */
export function compileRegex(pattern: string): ((input: string) => boolean) | null {
  const result = compiled(pattern);
  if (!result.ok) return null;
  const re = result.re;
  return (input) => input.length <= MAX_REGEX_INPUT_LENGTH && re.test(input);
}
