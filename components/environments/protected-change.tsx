"use client";

import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

// Every change to what applications read from a protected environment asks first, naming the flag
// and the environment: toggles, values, variant weights and segment overrides alike. In any other
// environment `confirm` answers yes at once.

export interface ProtectedChangeQuestion {
  /** "Change the value of new-checkout in Production?" */
  title: string;
  confirmLabel: string;
  /** What applications will see once confirmed. */
  consequence: ReactNode;
}

interface Pending extends ProtectedChangeQuestion {
  answer: (confirmed: boolean) => void;
}

export function useProtectedChange(environment: { name: string; protected?: boolean }) {
  const [pending, setPending] = useState<Pending | null>(null);

  const confirm = (question: ProtectedChangeQuestion): Promise<boolean> => {
    if (!environment.protected) return Promise.resolve(true);
    return new Promise((resolve) => setPending({ ...question, answer: resolve }));
  };

  const dialog = (
    <ConfirmDialog
      open={pending !== null}
      // Resolving twice is harmless: a confirmed promise stays confirmed when the dialog closes.
      onClose={() => {
        pending?.answer(false);
        setPending(null);
      }}
      tone="primary"
      title={pending?.title ?? ""}
      confirmLabel={pending?.confirmLabel ?? "Confirm"}
      onConfirm={async () => pending?.answer(true)}
    >
      <p>
        <strong>{environment.name}</strong> is a protected environment: {pending?.consequence}
      </p>
    </ConfirmDialog>
  );

  return { confirm, dialog };
}
