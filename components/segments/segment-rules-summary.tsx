import { Badge } from "@/components/ui/badge";
import { describeRules } from "@/lib/client/format/segment-rules";
import type { Segment } from "@/lib/client/queries/types";

/** A segment's rules in one readable line, and a warning for rules kept from before structured rules. */
export function SegmentRulesSummary({ segment }: { segment: Segment }) {
  return (
    <div className="space-y-1">
      <p className="line-clamp-3 break-words">{describeRules(segment.rules)}</p>
      {segment.legacy_rules != null && (
        <Badge
          tone="warning"
          title="These rules were stored before Flagpost had structured rules; they are kept but never evaluated."
        >
          Rules from before structured rules, not evaluated
        </Badge>
      )}
    </div>
  );
}
