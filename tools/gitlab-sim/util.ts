import { createHash } from "node:crypto";

/** ISO-8601 UTC with milliseconds, the format of GitLab REST timestamps (`2016-01-04T15:31:46.176Z`). */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Strictly increasing timestamps, so `updated_at` always moves forward even within one millisecond. */
let lastStamp = 0;
export function tick(): string {
  const now = Math.max(Date.now(), lastStamp + 1);
  lastStamp = now;
  return new Date(now).toISOString();
}

/** The `2018-09-15 19:05:12 UTC` form of older webhook payloads. */
export function legacyTimestamp(iso: string): string {
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
}

export function todayDate(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function md5(value: string): string {
  return createHash("md5").update(value).digest("hex");
}

export function sha1(value: string): string {
  return createHash("sha1").update(value).digest("hex");
}

export function gravatar(email: string): string {
  return `https://www.gravatar.com/avatar/${md5(email.toLowerCase())}?s=80&d=identicon`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

// GitLab treats `Draft:`, `[Draft]` and `(Draft)` title prefixes as the draft marker.
const DRAFT_PREFIX = /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s)\s*/i;
export function isDraftTitle(title: string): boolean {
  return DRAFT_PREFIX.test(title);
}
export function stripDraft(title: string): string {
  let t = title;
  while (DRAFT_PREFIX.test(t)) t = t.replace(DRAFT_PREFIX, "");
  return t;
}
export function draftTitle(title: string): string {
  return `Draft: ${stripDraft(title)}`;
}

const CSS_COLORS: Record<string, string> = {
  black: "#000000",
  white: "#ffffff",
  red: "#ff0000",
  green: "#008000",
  blue: "#0000ff",
  yellow: "#ffff00",
  orange: "#ffa500",
  purple: "#800080",
  pink: "#ffc0cb",
  gray: "#808080",
  grey: "#808080",
  brown: "#a52a2a",
  cyan: "#00ffff",
  magenta: "#ff00ff",
  lime: "#00ff00",
  navy: "#000080",
  teal: "#008080",
  olive: "#808000",
  maroon: "#800000",
  silver: "#c0c0c0",
  aqua: "#00ffff",
  fuchsia: "#ff00ff",
  gold: "#ffd700",
  indigo: "#4b0082",
  violet: "#ee82ee",
  coral: "#ff7f50",
  salmon: "#fa8072",
  crimson: "#dc143c",
  tomato: "#ff6347",
  orchid: "#da70d6",
  khaki: "#f0e68c",
  beige: "#f5f5dc",
  lavender: "#e6e6fa",
  turquoise: "#40e0d0",
  tan: "#d2b48c",
  chocolate: "#d2691e",
  firebrick: "#b22222",
  darkred: "#8b0000",
  darkgreen: "#006400",
  darkblue: "#00008b",
  lightblue: "#add8e6",
  lightgreen: "#90ee90",
  lightgray: "#d3d3d3",
  darkgray: "#a9a9a9",
  skyblue: "#87ceeb",
  steelblue: "#4682b4",
  royalblue: "#4169e1",
  slateblue: "#6a5acd",
  seagreen: "#2e8b57",
  forestgreen: "#228b22",
  darkorange: "#ff8c00",
  hotpink: "#ff69b4",
  deeppink: "#ff1493",
  plum: "#dda0dd",
  sienna: "#a0522d",
  peru: "#cd853f",
  goldenrod: "#daa520",
  mediumpurple: "#9370db",
  rebeccapurple: "#663399",
};

/** Normalises a label colour (`#RGB`, `#RRGGBB` or a CSS colour name) to `#RRGGBB`, or null if invalid. */
export function normaliseColor(input: string): string | null {
  const v = input.trim();
  if (/^#[0-9a-f]{6}$/i.test(v)) return v.toUpperCase();
  if (/^#[0-9a-f]{3}$/i.test(v)) {
    return `#${v
      .slice(1)
      .split("")
      .map((c) => c + c)
      .join("")}`.toUpperCase();
  }
  const named = CSS_COLORS[v.toLowerCase()];
  return named ? named.toUpperCase() : null;
}

export function textColorFor(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  return luminance > 0.5 ? "#1F1E24" : "#FFFFFF";
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    const abort = () => {
      clearTimeout(timer);
      resolve();
    };
    // Removed once the wait is over: one signal serves every request of a long-lived simulator.
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
