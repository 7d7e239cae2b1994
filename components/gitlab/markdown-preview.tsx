"use client";

import { useMemo } from "react";
import { cx } from "@/components/ui/cx";
import { renderMarkdownPreview } from "@/lib/client/format/markdown-preview";

/** Markdown as GitLab will render it; raw HTML is shown as text (lib/client/format/markdown-preview.ts). */
export function MarkdownPreview({
  markdown,
  label,
  className,
}: {
  markdown: string;
  label: string;
  className?: string;
}) {
  const html = useMemo(() => renderMarkdownPreview(markdown), [markdown]);
  return (
    <div
      role="region"
      aria-label={label}
      className={cx(
        "max-h-96 space-y-3 overflow-y-auto rounded-md border border-zinc-200 p-4 text-sm text-zinc-800 dark:border-zinc-800 dark:text-zinc-200",
        "[&_a]:text-accent-700 [&_a]:underline dark:[&_a]:text-accent-300 [&_blockquote]:border-l-4 [&_blockquote]:border-zinc-300 [&_blockquote]:pl-3 [&_blockquote]:text-zinc-600",
        "[&_code]:rounded [&_code]:bg-zinc-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-xs dark:[&_code]:bg-zinc-800 [&_h3]:text-base [&_h3]:font-semibold",
        "[&_li]:ml-5 [&_ul]:list-disc [&_table]:w-full [&_table]:text-xs [&_td]:border [&_td]:border-zinc-200 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-zinc-200 [&_th]:px-2 [&_th]:py-1 [&_th]:text-left dark:[&_td]:border-zinc-700 dark:[&_th]:border-zinc-700",
        className,
      )}
      // Safe: the renderer escapes raw HTML and keeps only http(s)/mailto links.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
