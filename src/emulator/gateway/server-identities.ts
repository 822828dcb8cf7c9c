/**
 * The gateway's TLS contexts: one server certificate per namespace host name (`myns.acct.tmprl.local`,
 * lower-cased: DNS names are case-insensitive, so every letter-case variant a client sends shares it),
 * issued by the dev server CA the first time a client asks for that name; and one context per host and
 * trust, where the trust is the namespace's accepted CA bundle at one resource version, so that OpenSSL
 * validates each client chain against the bundle in force. One wildcard would not do: `*.tmprl.local`
 * covers one label only, and namespace IDs have two.
 */
import { constants } from 'node:crypto';
import { isIP } from 'node:net';
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

/** The client CAs a context trusts: a namespace's bundle at one resource version. */
export interface ClientTrust {
  /** Changes whenever `cas` may (the namespace's resource version). */
  version: string;
  /** PEM certificates: OpenSSL's trust anchors for client chains. */
  cas: readonly string[];
}

export interface ServerIdentities {
  /**
   * The TLS context for `host` (any letter case): a server certificate for that DNS name (or IP address), and `trust`'s
   * CAs as the anchors of client chains (none: every client chain fails OpenSSL's validation).
   */
  contextFor(host: string, trust: ClientTrust | undefined): Promise<SecureContext>;
  /** How many server certificates are kept (one per lower-cased host). */
  readonly size: number;
}

interface Identity {
  pair: Promise<{ certificatePem: string; privateKeyPem: string }>;
  renewAtMs: number;
  /** The context made for the latest trust version. */
  context?: { version: string; context: Promise<SecureContext> };
}

export function createServerIdentities(options: ServerIdentitiesOptions): ServerIdentities {
  const { ca } = options;
  const cache = new Map<string, Identity>();

  async function issue(host: string, now: Date) {
    // Never past the CA: a client refuses a chain whose root has expired anyway.
    const validityMs = Math.max(HOUR_MS, Math.min(SERVER_CERTIFICATE_VALIDITY_MS, ca.notAfter.getTime() - now.getTime()));
    // A host given as an IP address (the account metrics endpoint's https://127.0.0.1 URI) is an IP SAN, beside localhost.
    const names = isIP(host) === 0 ? { dnsNames: [host] } : { dnsNames: ['localhost'], ipAddresses: [host] };
    // P-256: the server signs in every handshake, and P-256 signs several times faster than P-384.
    return generateServerCertificate({ ca, ...names, validityMs, now, random: options.random, keySpec: { type: 'ec', curve: 'P-256' } });
  }

  function identityOf(host: string): Identity {
    const now = options.now();
    const cached = cache.get(host);
    if (cached && now.getTime() < cached.renewAtMs) return cached;
    const expiresMs = Math.min(now.getTime() + SERVER_CERTIFICATE_VALIDITY_MS, ca.notAfter.getTime());
    const identity: Identity = { pair: issue(host, now), renewAtMs: expiresMs - RENEW_BEFORE_MS };
    cache.set(host, identity);
    // A failure is not cached: the next client tries again.
    identity.pair.catch(() => cache.get(host) === identity && cache.delete(host));
    return identity;
  }

  return {
    contextFor(host, trust) {
      const identity = identityOf(host.toLowerCase());
      const version = trust?.version ?? '';
      if (identity.context?.version === version) return identity.context.context;
      const context = identity.pair.then((pair) =>
        createSecureContext({
          cert: pair.certificatePem,
          key: pair.privateKeyPem,
          ...(trust && trust.cas.length > 0 && { ca: [...trust.cas] }),
          // The bundle's CAs are anchors whether or not they are roots, as the namespace's accepted CAs are.
          allowPartialTrustChain: true,
          minVersion: 'TLSv1.2',
          secureOptions: NO_RESUMPTION,
        }),
      );
      identity.context = { version, context };
      return context;
    },
    get size() {
      return cache.size;
    },
  };
}
