/**
 * The gateway's server certificates: one per namespace host name (`myns.acct.tmprl.local`), issued by
 * the dev server CA the first time a client asks for that name, and kept as a ready TLS context. One
 * wildcard would not do: `*.tmprl.local` covers one label only, and namespace IDs have two.
 */
import { constants } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { CertificateAuthority } from '../../pki/issuer.js';
import type { RandomSource } from '../../pki/random.js';
import { generateServerCertificate } from '../../pki/server-certificate.js';

const HOUR_MS = 3_600_000;
/** Server certificates live a week (the emulator makes new ones as they age; nobody else keeps them). */
const SERVER_CERTIFICATE_VALIDITY_MS = 7 * 24 * HOUR_MS;
/** A certificate this close to its expiry (or its CA's) is replaced for new connections. */
const RENEW_BEFORE_MS = HOUR_MS;

/**
 * No stateless session tickets: making one re-parses the whole session, client certificate included,
 * which cost about a sixth of a handshake. Clients resume nothing anyway (and a resumed connection
 * would be admitted again like any other), so TLS 1.3 gets stateful tickets that no cache honours.
 */
export const NO_RESUMPTION = constants.SSL_OP_NO_TICKET;

export interface ServerIdentitiesOptions {
  ca: CertificateAuthority;
  now(): Date;
  random: RandomSource;
}

export interface ServerIdentities {
  /** The TLS context that presents a certificate for `host` (exactly that DNS name), made on first use. */
  contextFor(host: string): Promise<SecureContext>;
  /** Forgets `host`'s certificate (its namespace is gone). */
  forget(host: string): void;
}

export function createServerIdentities(options: ServerIdentitiesOptions): ServerIdentities {
  const { ca } = options;
  const cache = new Map<string, { context: Promise<SecureContext>; renewAtMs: number }>();

  async function issue(host: string, now: Date): Promise<SecureContext> {
    // Never past the CA: a client refuses a chain whose root has expired anyway.
    const validityMs = Math.max(HOUR_MS, Math.min(SERVER_CERTIFICATE_VALIDITY_MS, ca.notAfter.getTime() - now.getTime()));
    // P-256: the server signs in every handshake, and P-256 signs several times faster than P-384.
    const made = await generateServerCertificate({ ca, dnsNames: [host], validityMs, now, random: options.random, keySpec: { type: 'ec', curve: 'P-256' } });
    return createSecureContext({ cert: made.certificatePem, key: made.privateKeyPem, minVersion: 'TLSv1.2', secureOptions: NO_RESUMPTION });
  }

  return {
    contextFor(host) {
      const now = options.now();
      const cached = cache.get(host);
      if (cached && now.getTime() < cached.renewAtMs) return cached.context;
      const expiresMs = Math.min(now.getTime() + SERVER_CERTIFICATE_VALIDITY_MS, ca.notAfter.getTime());
      const context = issue(host, now);
      const entry = { context, renewAtMs: expiresMs - RENEW_BEFORE_MS };
      cache.set(host, entry);
      // A failure is not cached: the next client tries again.
      context.catch(() => cache.get(host) === entry && cache.delete(host));
      return context;
    },
    forget(host) {
      cache.delete(host);
    },
  };
}
