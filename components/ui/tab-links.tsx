"use client";

import Link from "next/link";
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";

// Tabs whose state lives in the URL (`?tab=`): each tab is a link, so tabs can be bookmarked and
// opened in new windows. Arrow keys, Home and End move between tabs; Enter follows the link.
// When the tabs are wider than the screen (phones) the row scrolls so the active tab is in view.

export interface TabLink {
  id: string;
  label: string;
  href: string;
}

function tabId(id: string) {
  return `tab-${id}`;
}
function tabPanelId(id: string) {
  return `tabpanel-${id}`;
}

export function TabLinks({ tabs, activeId, label }: { tabs: TabLink[]; activeId: string; label: string }) {
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const list = listRef.current;
    const active = list?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!list || !active || list.scrollWidth <= list.clientWidth) return;
    // Centre it in the row (the list is the tabs' offset parent), without scrolling the page itself.
    list.scrollLeft = active.offsetLeft - (list.clientWidth - active.offsetWidth) / 2;
  }, [activeId]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const elements = Array.from(listRef.current?.querySelectorAll<HTMLElement>('[role="tab"]') ?? []);
    const index = elements.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    if (event.key === "ArrowRight") next = index + 1;
    else if (event.key === "ArrowLeft") next = index - 1;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = elements.length - 1;
    if (next === null) return;
    event.preventDefault();
    elements[(next + elements.length) % elements.length]?.focus();
  };

  return (
    <div
      ref={listRef}
      role="tablist"
      aria-label={label}
      onKeyDown={onKeyDown}
      className="relative flex gap-1 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800"
    >
      {tabs.map((tab) => {
        const active = tab.id === activeId;
        return (
          <Link
            key={tab.id}
            id={tabId(tab.id)}
            role="tab"
            href={tab.href}
            scroll={false}
            aria-selected={active}
            aria-controls={active ? tabPanelId(tab.id) : undefined}
            tabIndex={active ? 0 : -1}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap",
              active
                ? "border-accent-600 text-accent-700 dark:border-accent-400 dark:text-accent-300"
                : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
              focusRing,
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </div>
  );
}

export function TabPanel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div
      role="tabpanel"
      id={tabPanelId(id)}
      aria-labelledby={tabId(id)}
      tabIndex={0}
      className="pt-6 focus-visible:outline-none"
    >
      {children}
    </div>
  );
}
