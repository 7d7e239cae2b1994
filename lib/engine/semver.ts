// Semantic-version precedence for conditions whose value ends in ":semver" (SemVer 2.0.0, strict
// parsing as node-semver does it: optional leading "v", surrounding blanks trimmed, build metadata
// ignored, at most 256 characters). Hand-written because `semver` is not a production dependency;
// the differential test checks it against Flagsmith's engine, which uses node-semver.

const STRICT =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:\d*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9]\d*)(?:\.(?:\d*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9]\d*))*))?(?:\+[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)?$/;
const NUMERIC = /^[0-9]+$/;
const MAX_LENGTH = 256;

export interface SemVer {
  main: [number, number, number];
  prerelease: (string | number)[];
}

/** The parsed version, or null when `text` is not a valid semantic version. */
export function parseSemVer(text: string): SemVer | null {
  if (text.length > MAX_LENGTH) return null;
  const match = STRICT.exec(text.trim());
  if (!match) return null;
  const main: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (main.some((part) => part > Number.MAX_SAFE_INTEGER)) return null;
  const prerelease = match[4]
    ? match[4]
        .split(".")
        .map((id) => (NUMERIC.test(id) && Number(id) < Number.MAX_SAFE_INTEGER ? Number(id) : id))
    : [];
  return { main, prerelease };
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  const aNumeric = NUMERIC.test(String(a));
  const bNumeric = NUMERIC.test(String(b));
  if (aNumeric && bNumeric) {
    const x = Number(a);
    const y = Number(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a === b ? 0 : String(a) < String(b) ? -1 : 1;
}

/** -1, 0 or 1 by SemVer precedence. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) {
    if (a.main[i]! !== b.main[i]!) return a.main[i]! < b.main[i]! ? -1 : 1;
  }
  // A version without a pre-release ranks above the same version with one.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  for (let i = 0; ; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined && y === undefined) return 0;
    if (y === undefined) return 1;
    if (x === undefined) return -1;
    if (x !== y) return compareIdentifiers(x, y);
  }
}
