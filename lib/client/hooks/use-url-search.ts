"use client";

import { useEffect, useRef, useState } from "react";
import { useDebouncedValue } from "@/lib/client/hooks/use-debounced-value";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";

/**
 * A search box bound to `?search=`: typing updates the box at once and the URL (hence the server
 * query) once typing pauses; going back in history puts the old search back in the box.
 */
export function useUrlSearch(param = "search", delayMs = 300) {
  const { searchParams, setQuery } = useUrlQuery();
  const committed = searchParams.get(param) ?? "";
  const [text, setText] = useState(committed);
  const debounced = useDebouncedValue(text, delayMs);
  const lastWritten = useRef(committed);

  useEffect(() => {
    const next = debounced.trim();
    if (next === lastWritten.current) return;
    lastWritten.current = next;
    setQuery({ [param]: next || null, page: null });
  }, [debounced, param, setQuery]);

  // The URL changed without us (back/forward, a link): show what it says.
  useEffect(() => {
    if (committed === lastWritten.current) return;
    lastWritten.current = committed;
    setText(committed);
  }, [committed]);

  return { text, setText, search: committed };
}
