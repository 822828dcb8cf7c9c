/**
 * An AdmissionLog in memory: the last events of each namespace in a bounded list, and listeners told
 * of each new one. What the console's tests record into; small enough to serve a dev-server too.
 */
import type { AdmissionEvent, AdmissionLog } from './admission-log.js';

/** Events kept per namespace: what the console shows (50), with room to spare. */
export const KEPT_PER_NAMESPACE = 200;
/** Namespaces kept at once; past it the one recorded least recently goes (a client naming random namespaces cannot grow the log). */
export const KEPT_NAMESPACES = 1000;
export const DEFAULT_RECENT = 50;

export function createMemoryAdmissionLog(): AdmissionLog {
  /** Oldest first, per namespace; the Map's order is the order namespaces were last recorded in. */
  const events = new Map<string, AdmissionEvent[]>();
  const listeners = new Map<string, Set<(event: AdmissionEvent) => void>>();
  let seq = 0;

  return {
    record(fields) {
      const event: AdmissionEvent = { ...fields, seq: ++seq };
      const list = events.get(event.namespace) ?? [];
      events.delete(event.namespace);
      events.set(event.namespace, list);
      list.push(event);
      if (list.length > KEPT_PER_NAMESPACE) list.shift();
      if (events.size > KEPT_NAMESPACES) events.delete(events.keys().next().value!);
      // A listener that throws must not stop the gateway, nor the other listeners.
      for (const listener of [...(listeners.get(event.namespace) ?? [])]) {
        try {
          listener(event);
        } catch {
          // ignored
        }
      }
    },
    recent(namespace, limit = DEFAULT_RECENT) {
      const list = events.get(namespace) ?? [];
      return list.slice(Math.max(0, list.length - limit)).reverse();
    },
    subscribe(namespace, listener) {
      const set = listeners.get(namespace) ?? new Set();
      listeners.set(namespace, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(namespace) === set) listeners.delete(namespace);
      };
    },
  };
}
