import { Marked, type Tokens } from "marked";

// Markdown shown the way GitLab will render it, for the "Preview" of a cleanup issue, made safe
// to put into the page: raw HTML is shown as text (never parsed), links only go to http(s) and
// mailto addresses, and images are shown as links so previewing loads nothing from elsewhere.

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** Only absolute http(s) and mailto links survive; anything else (javascript:, data:, …) becomes plain text. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:"
      ? url.toString()
      : null;
  } catch {
    return null;
  }
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link(token: Tokens.Link) {
      const label = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      if (!href) return label;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noreferrer noopener">${label}</a>`;
    },
    image(token: Tokens.Image) {
      const href = safeHref(token.href);
      const label = escapeHtml(token.text || "image");
      return href
        ? `<a href="${escapeHtml(href)}" target="_blank" rel="noreferrer noopener">🖼 ${label}</a>`
        : label;
    },
  },
});

export function renderMarkdownPreview(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
