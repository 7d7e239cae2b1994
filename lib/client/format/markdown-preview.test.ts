import { describe, expect, it } from "vitest";
import { renderMarkdownPreview, safeHref } from "@/lib/client/format/markdown-preview";
import { cleanupIssueBody } from "@/lib/gitlab/cleanup/cleanup-issue-body";

describe("renderMarkdownPreview", () => {
  it("renders headings, tables, task lists, code and links", () => {
    const html = renderMarkdownPreview(
      "### Checklist\n\n| a | b |\n| :--- | :--- |\n| `x\\|y` | [l](https://example.com) |\n\n- [ ] Remove `flag`",
    );
    expect(html).toContain("<h3>Checklist</h3>");
    expect(html).toContain("<table>");
    expect(html).toContain("<code>x|y</code>");
    expect(html).toContain('<a href="https://example.com/" target="_blank" rel="noreferrer noopener">l</a>');
    expect(html).toMatch(/<input [^>]*type="checkbox"[^>]*>/);
    expect(html).toContain("<code>flag</code>");
  });

  it("shows raw HTML as text and drops unsafe links and remote images", () => {
    const html = renderMarkdownPreview(
      '<script>alert(1)</script>\n\nhi <img src=x onerror="alert(2)"> [click](javascript:alert(3)) ![pic](https://tracker.example/p.png)\n\n<div onclick="x">block</div>',
    );
    expect(html).not.toMatch(/<script|<img|<div|javascript:/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(html).toContain("click");
    expect(html).toContain(
      '<a href="https://tracker.example/p.png" target="_blank" rel="noreferrer noopener">🖼 pic</a>',
    );
  });

  it("renders the generated cleanup body with its escapes read back as text", () => {
    const body = cleanupIssueBody({
      feature: { id: 1, projectId: 2, name: "new_checkout", description: "Uses <b> and #12 | pipes" },
      environments: [
        {
          name: "Prod | EU",
          apiKey: "k",
          enabled: true,
          value: "a|b",
          updatedAt: new Date("2026-10-03T09:00:00Z"),
        },
      ],
      segmentOverrideCount: 0,
      links: [],
      staleReason: null,
      publicUrl: "https://flagpost.example.com",
    });
    const html = renderMarkdownPreview(body);
    expect(html).toContain("Uses &lt;b&gt; and #12 | pipes");
    expect(html).toContain(">Prod | EU</a>");
    expect(html).toContain("<code>a|b</code>");
    expect(html).not.toContain("<b>");
  });

  it("accepts only http(s) and mailto links", () => {
    expect(safeHref("https://gitlab.example.com/a")).toBe("https://gitlab.example.com/a");
    expect(safeHref("mailto:a@example.com")).toBe("mailto:a@example.com");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,x")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
  });
});
