"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";

// A menu button (WAI-ARIA menu pattern): arrows move between items, Home/End jump, Escape closes and
// returns focus to the button, Tab or a click outside closes.

export interface MenuItem {
  id: string;
  label: string;
  href?: string;
  onSelect?: () => void;
  tone?: "default" | "danger";
}

interface MenuProps {
  /** Visible content of the button. */
  trigger: ReactNode;
  /** Accessible name of the button when its content is not enough. */
  triggerLabel?: string;
  items: MenuItem[];
  /** Shown above the items (e.g. who is signed in); not focusable. */
  header?: ReactNode;
  placement?: "above" | "below";
  /** Which edge of the button the menu lines up with ("end" for buttons at the right of the screen). */
  align?: "start" | "end";
  className?: string;
}

export function Menu({
  trigger,
  triggerLabel,
  items,
  header,
  placement = "below",
  align = "start",
  className,
}: MenuProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const itemElements = () =>
    Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    itemElements()[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const elements = itemElements();
    const index = elements.indexOf(document.activeElement as HTMLElement);
    const focusAt = (next: number) => elements[(next + elements.length) % elements.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusAt(index + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusAt(index - 1);
        break;
      case "Home":
        event.preventDefault();
        focusAt(0);
        break;
      case "End":
        event.preventDefault();
        focusAt(elements.length - 1);
        break;
      case "Escape":
        event.preventDefault();
        close(true);
        break;
      case "Tab":
        setOpen(false);
        break;
    }
  };

  const itemClasses = (item: MenuItem) =>
    cx(
      "block w-full rounded px-3 py-2 text-left text-sm outline-none",
      "hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800",
      item.tone === "danger" ? "text-red-700 dark:text-red-400" : "text-zinc-800 dark:text-zinc-200",
    );

  return (
    <div className={cx("relative", className)}>
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={triggerLabel}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className={cx(
          "flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800",
          focusRing,
        )}
      >
        {trigger}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={triggerLabel}
          onKeyDown={onMenuKeyDown}
          className={cx(
            align === "end" ? "right-0" : "left-0",
            "absolute z-30 min-w-full whitespace-nowrap rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900",
            placement === "above" ? "bottom-full mb-1" : "top-full mt-1",
          )}
        >
          {header && (
            <div
              role="none"
              className="border-b border-zinc-100 px-3 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400"
            >
              {header}
            </div>
          )}
          {items.map((item) =>
            item.href ? (
              <Link
                key={item.id}
                role="menuitem"
                tabIndex={-1}
                href={item.href}
                onClick={() => close(false)}
                className={itemClasses(item)}
              >
                {item.label}
              </Link>
            ) : (
              <button
                key={item.id}
                role="menuitem"
                tabIndex={-1}
                type="button"
                onClick={() => {
                  close(true);
                  item.onSelect?.();
                }}
                className={itemClasses(item)}
              >
                {item.label}
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
