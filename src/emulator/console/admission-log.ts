/**
 * The contract between the namespaces' gateway and the dev-server's web console: the gateway records
 * each connection it admits or refuses (and each open connection it closes when a bundle or filter
 * change no longer admits it), and the console shows the last ones per namespace, live.
 */

/** One gateway decision about one client. */
export interface AdmissionEvent {
  /** Increasing across the whole log, so a live view can ask for what came after the last it saw. */
  seq: number;
  /** When it was decided (the emulator's clock), as an ISO 8601 string. */
  at: string;
  /** The namespace the client named ('' when it named none that exists). */
  namespace: string;
  result: 'admitted' | 'refused' | 'closed';
  /** The client certificate's subject, one line ('' when it sent none). */
  subject: string;
  /** SHA-256 fingerprint of the client certificate, as `tcld n ca l` prints fingerprints ('' when none). */
  fingerprint: string;
  /** The refusal's reason code (the gateway's kebab-case vocabulary, as in its metrics); '' when admitted. */
  code: string;
  /** The refusal's message for people; '' when admitted. */
  message: string;
}

export interface AdmissionLog {
  /** Called by the gateway. */
  record(event: Omit<AdmissionEvent, 'seq'>): void;
  /** The last `limit` (default 50) events of a namespace, newest first. */
  recent(namespace: string, limit?: number): AdmissionEvent[];
  /** Calls `listener` with each new event of `namespace` until the returned function is called. */
  subscribe(namespace: string, listener: (event: AdmissionEvent) => void): () => void;
}
