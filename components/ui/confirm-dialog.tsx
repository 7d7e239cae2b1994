"use client";

import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { TextField } from "@/components/ui/text-field";
import { errorMessage } from "@/lib/client/queries/api-client";

// Every delete goes through this: it names what goes, can demand the name typed back for big
// deletions, and stays open with the server's message if the action fails.

interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; the dialog closes when it resolves and shows the error when it rejects. */
  onConfirm: () => Promise<unknown>;
  /** The text the person must type to enable the button (e.g. the project name). */
  typedConfirmation?: string;
  tone?: "danger" | "primary";
}

export function ConfirmDialog({
  open,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  typedConfirmation,
  tone = "danger",
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setTyped("");
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setTyped("");
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };

  const blocked = typedConfirmation !== undefined && typed.trim() !== typedConfirmation;

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      size="sm"
      dismissible={!pending}
      onSubmit={() => {
        if (!blocked) void confirm();
      }}
      footer={
        <>
          <Button onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant={tone === "danger" ? "danger" : "primary"}
            pending={pending}
            disabled={blocked}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm text-zinc-700 dark:text-zinc-300">{children}</div>
      {typedConfirmation !== undefined && (
        <TextField
          label={
            <>
              Type <strong className="font-semibold">{typedConfirmation}</strong> to confirm
            </>
          }
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      )}
      <FormError message={error} />
    </Dialog>
  );
}
