"use client";

import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";
import { isHexColor, readableTextColor } from "@/lib/client/format/color";
import type { Tag } from "@/lib/client/queries/types";

/** Toggle chips: features must carry every selected tag. */
export function TagFilter({
  tags,
  selected,
  onChange,
}: {
  tags: Tag[];
  selected: number[];
  onChange: (ids: number[]) => void;
}) {
  if (!tags.length) return null;
  const toggle = (id: number) =>
    onChange(selected.includes(id) ? selected.filter((tagId) => tagId !== id) : [...selected, id]);
  return (
    <div role="group" aria-label="Filter by tag" className="flex flex-wrap items-center gap-1.5">
      <span className="mr-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">Tags:</span>
      {tags.map((tag) => {
        const active = selected.includes(tag.id);
        const color = isHexColor(tag.color) ? tag.color : "#71717a";
        return (
          <button
            key={tag.id}
            type="button"
            aria-pressed={active}
            onClick={() => toggle(tag.id)}
            className={cx(
              "rounded-full border px-2.5 py-0.5 text-xs font-medium transition-colors",
              active
                ? "border-transparent"
                : "border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800",
              focusRing,
            )}
            style={active ? { backgroundColor: color, color: readableTextColor(color) } : undefined}
          >
            {!active && (
              <span
                aria-hidden="true"
                className="mr-1 inline-block size-2 rounded-full"
                style={{ backgroundColor: color }}
              />
            )}
            {tag.label}
          </button>
        );
      })}
      {selected.length > 0 && (
        <button
          type="button"
          onClick={() => onChange([])}
          className={cx(
            "ml-1 rounded text-xs text-zinc-600 underline hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
            focusRing,
          )}
        >
          Clear tags
        </button>
      )}
    </div>
  );
}
