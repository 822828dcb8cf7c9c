/**
 * The namespace endpoint's two decisions, by the namespace's auth method (tcld's `mtls`, `api_key`,
 * `api_key_or_mtls`, `restricted`):
 * - a connection: admitted by its client certificate (its calls need nothing more), admitted for API
 *   keys only (each call must carry one), or refused;
 * - a call on an admitted connection: passes when the connection's certificate still admits it, else
 *   only with `authorization: Bearer <API key>` (a dev-server `--api-key` or a key made with
 *   CreateApiKey; a sign-in access token is not one), checked against the database on every call, so
 *   that a disabled or deleted key is refused by the next call.
 * Decisions carry a RefusalCode (metrics labels, tests) beside their words (log lines, gRPC messages).
 */
import type { X509Certificate } from 'node:crypto';
import { admitClient } from '../../pki/admission.js';
import type { VerifyBearer } from '../identity/bearer.js';
import type { Judgement, RefusalCode } from './connections.js';
import type { MtlsPolicy, NamespacePolicy } from './policies.js';

export type ConnectionVerdict =
  | { admitted: true; by: 'mtls' }
  /** Calls need an API key; `certificate`: why a certificate that was presented does not admit the connection. */
  | { admitted: true; by: 'api-key'; certificate?: readonly string[] }
  | { admitted: false; reasons: readonly string[]; code: RefusalCode };

export type CallVerdict = { ok: true; byApiKey: boolean } | { ok: false; code: RefusalCode; message: string };

/**
 * A connection of `namespace` with `chain` (undefined: no certificate presented). `openssl` is
 * OpenSSL's refusal of the chain during the handshake, when it refused it (absent on a re-judgement of
 * an open connection, whose chain OpenSSL does not see again).
 */
export function judgeConnection(policy: NamespacePolicy, namespace: string, chain: readonly X509Certificate[] | undefined, now: Date, openssl?: string): ConnectionVerdict {
  if (policy.kind === 'unknown') return { admitted: false, reasons: [`unknown namespace ${namespace}`], code: 'unknown-namespace' };
  const certificate = judgeCertificate(policy.mtls, chain, now, openssl);
  if (certificate.admitted) return { admitted: true, by: 'mtls' };
  if (policy.apiKey) return chain ? { admitted: true, by: 'api-key', certificate: certificate.reasons } : { admitted: true, by: 'api-key' };
  if (policy.authMethod === 'restricted' && policy.mtls.kind === 'closed' && policy.mtls.code === 'mtls-disabled') {
    return { admitted: false, reasons: [`${policy.mtls.reason}, nor are API keys: the auth method of namespace ${namespace} is restricted, which admits nobody`], code: 'restricted' };
  }
  return certificate;
}

/** Whether the certificate rules of a namespace admit `chain`, with OpenSSL's word beside ours: both must admit. */
function judgeCertificate(mtls: MtlsPolicy, chain: readonly X509Certificate[] | undefined, now: Date, openssl: string | undefined): Judgement {
  if (mtls.kind === 'closed') return { admitted: false, reasons: [mtls.reason], code: mtls.code };
  if (!chain) return { admitted: false, reasons: ['no client certificate: Temporal Cloud requires one issued by a CA of the namespace'], code: 'no-client-certificate' };
  const { problems } = admitClient(chain, mtls.prepared, now);
  const ours: Judgement = problems.length === 0 ? { admitted: true } : { admitted: false, reasons: problems.map((p) => p.message), code: problems[0]!.code };
  if (openssl === undefined) return ours;
  // OpenSSL refused the chain too, or alone: then it has the last word (the corpus test keeps the two in step).
  const refusal = `OpenSSL's path validation refuses the chain: ${openssl}`;
  return ours.admitted ? { admitted: false, reasons: [refusal], code: 'chain-invalid' } : { ...ours, reasons: [...ours.reasons, refusal] };
}

const BEARER = /^bearer\s+(\S+)\s*$/i;

/**
 * A call of `namespace` on a connection whose certificate admits it (`byCertificate`) or not, with the
 * call's `authorization` header. `verify` judges a bearer secret; without one no API key is valid.
 */
export function authorizeCall(policy: NamespacePolicy, namespace: string, byCertificate: boolean, authorization: string | undefined, verify: VerifyBearer | undefined): CallVerdict {
  if (policy.kind === 'unknown') return { ok: false, code: 'unknown-namespace', message: `namespace ${namespace} no longer exists` };
  if (byCertificate && policy.mtls.kind === 'open') return { ok: true, byApiKey: false };
  if (!policy.apiKey) {
    return policy.authMethod === 'restricted'
      ? { ok: false, code: 'restricted', message: `the auth method of namespace ${namespace} is restricted, which admits nobody` }
      : { ok: false, code: 'api-key-not-accepted', message: `namespace ${namespace} takes client certificates only (auth method ${policy.authMethod}), and this connection's certificate is not admitted` };
  }
  const how = `namespace ${namespace} takes API keys (auth method ${policy.authMethod})`;
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, code: 'api-key-missing', message: `missing API key: ${how}: send the header "authorization: Bearer <API key>"` };
  }
  const secret = BEARER.exec(authorization)?.[1];
  if (secret === undefined) return { ok: false, code: 'api-key-invalid', message: `the authorization header must be "Bearer <API key>" (${how})` };
  const verdict = verify?.(secret);
  if (verdict?.code === 'admitted') {
    if (verdict.credential === 'bootstrap-key' || verdict.credential === 'api-key') return { ok: true, byApiKey: true };
    return { ok: false, code: 'api-key-invalid', message: `a sign-in access token is not an API key: ${how}; create one with tcld apikey create` };
  }
  const key = verdict?.apiKeyId ? `API key ${verdict.apiKeyId}` : 'the API key';
  switch (verdict?.code) {
    case 'disabled':
      return { ok: false, code: 'api-key-disabled', message: `${key} is disabled: enable it (tcld apikey enable) or use another key` };
    case 'expired':
      return { ok: false, code: 'api-key-expired', message: `${key} has expired: create a new one (tcld apikey create)` };
    default:
      return { ok: false, code: 'api-key-invalid', message: `invalid API key: it is unknown to this dev-server, or was deleted (${how})` };
  }
}
