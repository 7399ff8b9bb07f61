import { useSyncExternalStore } from 'react';

/** A minimal observable value; React reads it through {@link useStore}. */
export interface Store<T> {
  get(): T;
  set(next: T | ((previous: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

/** Creates a {@link Store} holding `initial`. */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const resolved = typeof next === 'function' ? (next as (previous: T) => T)(value) : next;
      if (Object.is(resolved, value)) return;
      value = resolved;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Subscribes a component to a store. */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/**
 * Subscribes a component to one part of a store: it re-renders only when that
 * part changes, not when another part does (e.g. the save state, twice a
 * second while the writer types). `select` must return a value kept in the
 * store, never a new object.
 */
export function useStoreSelect<T, U>(store: Store<T>, select: (value: T) => U): U {
  const read = () => select(store.get());
  return useSyncExternalStore(store.subscribe, read, read);
}
