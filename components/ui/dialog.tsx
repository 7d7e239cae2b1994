"use client";

import { useEffect, useId, useRef, type FormEvent, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";

// A modal built on the native <dialog> and showModal(): the browser traps focus, makes the page
// behind it inert and closes on Escape. We route Escape and backdrop clicks through `onClose` so
// React stays the source of truth, and we put focus back where it was when the dialog opened.

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** Buttons row; inside the form when `onSubmit` is given, so Enter submits. */
  footer?: ReactNode;
  /** Wraps body and footer in a form. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  size?: "sm" | "md" | "lg" | "xl";
  /** Stops Escape/backdrop from closing while something is being saved. */
  dismissible?: boolean;
}

const widths = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl", xl: "max-w-4xl" };

/** Back to the control that opened the dialog; if that is gone (its row was deleted), to the page content. */
function focusAfterClose(opener: HTMLElement | null) {
  if (opener?.isConnected) opener.focus();
  else document.getElementById("main")?.focus();
}

export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  onSubmit,
  size = "md",
  dismissible = true,
}: DialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // Closing on unmount too (e.g. the row holding the dialog disappears after a delete); the close
  // event would arrive after React detached its handler, so focus is put back here.
  useEffect(() => {
    const dialog = dialogRef.current;
    return () => {
      if (!dialog?.open) return;
      dialog.close();
      focusAfterClose(returnFocusTo.current);
    };
  }, []);

  const restoreFocus = () => {
    const target = returnFocusTo.current;
    returnFocusTo.current = null;
    focusAfterClose(target);
  };

  const body = (
    <>
      <div className="space-y-4 px-6 py-5">{children}</div>
      {footer && (
        <div className="flex flex-wrap justify-end gap-2 border-t border-zinc-200 bg-zinc-50 px-6 py-3 dark:border-zinc-800 dark:bg-zinc-900/60">
          {footer}
        </div>
      )}
    </>
  );

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Escape: let React decide (and refuse while saving).
        event.preventDefault();
        if (dismissible) onClose();
      }}
      onClose={restoreFocus}
      onMouseDown={(event) => {
        // A press on the backdrop lands on the <dialog> element itself.
        if (event.target === event.currentTarget && dismissible) onClose();
      }}
      className={cx(
        "w-[calc(100%-2rem)] overflow-hidden rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl",
        "dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100",
        widths[size],
      )}
    >
      {open && (
        <div className="max-h-[85dvh] overflow-y-auto">
          <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
            <div className="space-y-1">
              <h2 id={titleId} className="text-base font-semibold">
                {title}
              </h2>
              {description && (
                <p id={descriptionId} className="text-sm text-zinc-600 dark:text-zinc-400">
                  {description}
                </p>
              )}
            </div>
            <button
              type="button"
              onClick={onClose}
              disabled={!dismissible}
              aria-label="Close dialog"
              className={cx(
                "-mr-2 rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800",
                focusRing,
              )}
            >
              <span aria-hidden="true" className="block size-4 leading-4">
                ×
              </span>
            </button>
          </div>
          {onSubmit ? (
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                onSubmit(event);
              }}
            >
              {body}
            </form>
          ) : (
            body
          )}
        </div>
      )}
    </dialog>
  );
}
