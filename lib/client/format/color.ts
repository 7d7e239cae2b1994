// Text colour for a coloured chip: whichever of near-black and white contrasts more with the
// background (WCAG relative luminance), so any tag colour stays readable.

function channel(value: number) {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number | null {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) return null;
  const n = Number.parseInt(match[1]!, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

const DARK_TEXT = "#18181b";
const LIGHT_TEXT = "#ffffff";

export function readableTextColor(background: string): string {
  const l = luminance(background);
  if (l === null) return DARK_TEXT;
  const contrastWithWhite = 1.05 / (l + 0.05);
  const contrastWithDark = (l + 0.05) / (0.0114 + 0.05); // luminance of #18181b ≈ 0.0114
  return contrastWithWhite >= contrastWithDark ? LIGHT_TEXT : DARK_TEXT;
}

export function isHexColor(value: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(value);
}
