/**
 * The AdmissionLog in memory: the last events of each namespace in a ring of its own, so that a busy
 * namespace does not push a quiet one's refusals out, and live listeners per namespace. Everything is
 * bounded (a client cannot grow it by naming namespaces or opening streams): events per namespace,
 * namespaces kept (the one recorded to least recently is forgotten first), listeners per namespace.
 * Events of clients that named no existing namespace ('') have a ring of their own, never forgotten.
 */
import type { AdmissionEvent, AdmissionLog } from './admission-log.js';

/** What a namespace page shows. */
export const EVENTS_PER_NAMESPACE = 50;
/** Namespaces whose events are kept; a namespace the gateway refused 50 times costs about 50 × 300 bytes. */
export const NAMESPACES_KEPT = 1000;
/** Live listeners per namespace: a few browser tabs each, far more than a person opens. */
export const LISTENERS_PER_NAMESPACE = 100;

export interface CreateAdmissionLogOptions {
  /** Events kept per namespace. Default 50. */
  perNamespace?: number;
  /** Namespaces kept besides ''; past it, the one recorded to least recently is forgotten. Default 1000. */
  namespaces?: number;
  /** Listeners per namespace; past it, subscribe throws TooManyListenersError. Default 100. */
  listenersPerNamespace?: number;
  /** Told of a listener that threw (the event still reaches the others, and record() returns normally). Default: none. */
  onListenerError?: (error: unknown) => void;
}

/** subscribe() past the bound on a namespace's listeners: the caller answers "busy" (HTTP 503). */
export class TooManyListenersError extends Error {
  readonly code = 'too-many-listeners';
  constructor(namespace: string, limit: number) {
    super(`namespace ${namespace || "''"} has ${limit} live listeners already`);
    this.name = 'TooManyListenersError';
  }
}

/** A fixed-size ring of the last events, oldest overwritten. */
class Ring {
  private readonly slots: AdmissionEvent[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}

  push(event: AdmissionEvent): void {
    this.slots[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The last `limit`, newest first. */
  newest(limit: number): AdmissionEvent[] {
    const count = Math.min(limit, this.slots.length);
    const events: AdmissionEvent[] = [];
    for (let i = 1; i <= count; i++) events.push(this.slots[(this.next - i + this.capacity) % this.capacity]!);
    return events;
  }
}

export function createAdmissionLog(options: CreateAdmissionLogOptions = {}): AdmissionLog {
  const perNamespace = Math.max(1, options.perNamespace ?? EVENTS_PER_NAMESPACE);
  const namespacesKept = Math.max(1, options.namespaces ?? NAMESPACES_KEPT);
  const listenersPerNamespace = options.listenersPerNamespace ?? LISTENERS_PER_NAMESPACE;
  const unnamed = new Ring(perNamespace);
  /** In order of the last event recorded: the first is forgotten first. */
  const rings = new Map<string, Ring>();
  const listeners = new Map<string, Set<(event: AdmissionEvent) => void>>();
  let seq = 0;

  function ringFor(namespace: string): Ring {
    if (namespace === '') return unnamed;
    let ring = rings.get(namespace);
    if (ring) {
      rings.delete(namespace);
    } else {
      ring = new Ring(perNamespace);
      if (rings.size >= namespacesKept) rings.delete(rings.keys().next().value!);
    }
    rings.set(namespace, ring);
    return ring;
  }

  return {
    record(fields) {
      const event: AdmissionEvent = { ...fields, seq: ++seq };
      ringFor(event.namespace).push(event);
      const subscribed = listeners.get(event.namespace);
      if (!subscribed) return;
      // A copy: a listener may unsubscribe (itself or another) while it is told.
      for (const listener of [...subscribed]) {
        if (!subscribed.has(listener)) continue;
        try {
          listener(event);
        } catch (error) {
          // A console's listener must not break the gateway that records.
          options.onListenerError?.(error);
        }
      }
    },
    recent(namespace, limit = EVENTS_PER_NAMESPACE) {
      const ring = namespace === '' ? unnamed : rings.get(namespace);
      return ring ? ring.newest(Math.max(0, limit)) : [];
    },
    subscribe(namespace, listener) {
      let set = listeners.get(namespace);
      if ((set?.size ?? 0) >= listenersPerNamespace) throw new TooManyListenersError(namespace, listenersPerNamespace);
      if (!set) listeners.set(namespace, (set = new Set()));
      // A wrapper, so that the same function subscribed twice is two subscriptions, each ended once.
      const entry = (event: AdmissionEvent) => listener(event);
      set.add(entry);
      return () => {
        if (!set.delete(entry)) return;
        if (set.size === 0 && listeners.get(namespace) === set) listeners.delete(namespace);
      };
    },
  };
}
