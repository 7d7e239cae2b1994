"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "sonner";

/** Copies a secret or key to the clipboard and says so. */
export function CopyButton({
  value,
  label = "Copy",
  what = "Value",
}: {
  value: string;
  label?: string;
  what?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="sm"
      aria-label={`${label} ${what.toLowerCase()}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          window.setTimeout(() => setCopied(false), 2000);
          toast.success(`${what} copied to the clipboard`);
        } catch {
          toast.error("Could not use the clipboard; select the text and copy it instead");
        }
      }}
    >
      {copied ? "Copied" : label}
    </Button>
  );
}
