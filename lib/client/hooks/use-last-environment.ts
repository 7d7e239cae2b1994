"use client";

import { useCallback, useSyncExternalStore } from "react";

// Remembers the environment last opened in each project, so pages without an environment in their
// URL (segments, audit log, settings) still know where "Features" should lead.

const storageKey = (projectId: number) => `flagpost:last-environment:${projectId}`;
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(projectId: number | undefined): string | null {
  if (projectId === undefined) return null;
  try {
    return window.localStorage.getItem(storageKey(projectId));
  } catch {
    return null;
  }
}

export function useLastEnvironment(projectId: number | undefined) {
  const apiKey = useSyncExternalStore(
    subscribe,
    () => read(projectId),
    () => null,
  );
  const remember = useCallback(
    (value: string) => {
      if (projectId === undefined || read(projectId) === value) return;
      try {
        window.localStorage.setItem(storageKey(projectId), value);
      } catch {
        // Storage can be unavailable (private mode); remembering is only a convenience.
      }
      listeners.forEach((listener) => listener());
    },
    [projectId],
  );
  return [apiKey, remember] as const;
}
