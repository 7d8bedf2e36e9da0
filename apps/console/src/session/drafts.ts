import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'procura.draft.';

/**
 * A form's state kept in sessionStorage as the user types, so that nothing is lost when the
 * session ends mid-form (the user signs in again and finds it) or the tab reloads. Drafts are
 * per person: `owner` is the signed-in user's id.
 */
export function useDraft<T>(owner: string, key: string, initial: T | (() => T)): [T, (next: T | ((previous: T) => T)) => void, () => void] {
  const storageKey = `${PREFIX}${owner}.${key}`;
  const [value, setValue] = useState<T>(() => {
    const stored = sessionStorage.getItem(storageKey);
    if (stored) {
      try {
        return JSON.parse(stored) as T;
      } catch {
        sessionStorage.removeItem(storageKey);
      }
    }
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  });
  const initialRef = useRef(initial);
  const cleared = useRef(false);
  useEffect(() => {
    if (cleared.current) return;
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  const update = useCallback((next: T | ((previous: T) => T)) => {
    cleared.current = false;
    setValue(next);
  }, []);
  const clear = useCallback(() => {
    cleared.current = true;
    sessionStorage.removeItem(storageKey);
    const start = initialRef.current;
    setValue(typeof start === 'function' ? (start as () => T)() : start);
  }, [storageKey]);
  return [value, update, clear];
}

/** Whether a draft is waiting under this key (to say "your draft was kept"). */
export function hasDraft(owner: string, key: string): boolean {
  return sessionStorage.getItem(`${PREFIX}${owner}.${key}`) !== null;
}

/** Forgets every draft (sign-out, or somebody else signing in on this tab), or only those of other people. */
export function forgetDrafts(keepOwner?: string): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (key?.startsWith(PREFIX) && !(keepOwner && key.startsWith(`${PREFIX}${keepOwner}.`))) sessionStorage.removeItem(key);
  }
}
