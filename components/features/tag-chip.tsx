import { Lock } from "lucide-react";
import { cx } from "@/components/ui/cx";
import { isHexColor, readableTextColor } from "@/lib/client/format/color";
import type { Tag } from "@/lib/client/queries/types";

/**
 * A tag in its own colour. The one contrast rule for every chip: the text is near-black or white,
 * whichever contrasts more with the colour (readableTextColor). System tags get a lock icon.
 */
export function TagChip({
  tag,
  className,
}: {
  tag: Pick<Tag, "label" | "color" | "is_system_tag" | "description">;
  className?: string;
}) {
  const background = isHexColor(tag.color) ? tag.color : "#71717a";
  return (
    <span
      title={tag.description || (tag.is_system_tag ? `${tag.label} (managed by Flagpost)` : tag.label)}
      className={cx(
        "inline-flex max-w-48 items-center gap-1 truncate rounded-full px-2 py-0.5 text-xs font-medium",
        className,
      )}
      style={{ backgroundColor: background, color: readableTextColor(background) }}
    >
      {tag.is_system_tag && (
        <span role="img" aria-label="System tag" className="inline-flex shrink-0">
          <Lock aria-hidden="true" className="size-3" />
        </span>
      )}
      {tag.label}
    </span>
  );
}
