/**
 * The console's live feed of a namespace's gateway admissions and refusals, as Server-Sent Events
 * (`GET /console/namespaces/<id>/events`, what a browser's EventSource reads): first the last events
 * kept (oldest first), then each new one as the gateway decides it. Each event is
 * `id: <seq>\nevent: admission\ndata: <AdmissionEvent as JSON>\n\n`, so that a browser that reconnects
 * sends the last id it saw (Last-Event-ID) and gets only the later ones; a page that rendered the
 * events up to seq N itself asks with `?after=N`. Reading is public, as the console's pages are.
 */
import type { HttpReply, HttpRequest, Route } from '../http/router.js';
import type { HttpStreamReply } from '../http/open-streams.js';
import type { AdmissionEvent, AdmissionLog } from './admission-log.js';
import { TooManyListenersError } from './admission-log-store.js';

export const ADMISSION_EVENTS_PATH = '/console/namespaces/:id/events';

/** The path of a namespace's feed. */
export function admissionEventsPath(namespace: string): string {
  return ADMISSION_EVENTS_PATH.replace(':id', encodeURIComponent(namespace));
}

export interface AdmissionEventsOptions {
  admissions: AdmissionLog;
  /** Whether the namespace exists now (the feed of any other is 404, whatever the log kept). */
  exists(namespace: string): boolean;
}

/** An SSE comment: keeps the connection from looking idle, and a browser ignores it. */
const HEARTBEAT = ': keep-alive\n\n';

export function admissionEventsRoute(options: AdmissionEventsOptions): Route {
  return { method: 'GET', path: ADMISSION_EVENTS_PATH, handle: (request) => feed(options, request) };
}

function feed(options: AdmissionEventsOptions, request: HttpRequest): HttpReply | HttpStreamReply {
  const namespace = request.params['id']!;
  if (!options.exists(namespace)) return plain(404, 'There is no such namespace.', 'unknown-namespace');
  const after = Math.max(seqOf(request.headers['last-event-id']), seqOf(request.query.get('after') ?? undefined));
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-accel-buffering': 'no' },
    heartbeat: HEARTBEAT,
    open(stream) {
      let unsubscribe: () => void;
      try {
        // First, so that no event falls between the backlog and the live ones (record() is synchronous, and so is this).
        unsubscribe = options.admissions.subscribe(namespace, (event) => stream.write(formatEvent(event)));
      } catch (error) {
        if (error instanceof TooManyListenersError) return plain(503, 'Too many live views of this namespace are open: close one, or try again later.', error.code);
        throw error;
      }
      stream.onClose(unsubscribe);
      const backlog = options.admissions
        .recent(namespace)
        .filter((event) => event.seq > after)
        .reverse();
      if (backlog.length > 0) stream.write(backlog.map(formatEvent).join(''));
    },
  };
}

/** One event in the text/event-stream format (JSON has no raw line breaks, so `data` is one line). */
export function formatEvent(event: AdmissionEvent): string {
  return `id: ${event.seq}\nevent: admission\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A seq given by the client, or 0 (everything kept) for none or anything that is not one. */
function seqOf(value: string | string[] | undefined): number {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : 0;
}

function plain(status: number, text: string, note: string): HttpReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${text}\n`, note };
}
