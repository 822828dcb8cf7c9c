/**
 * Temporal Cloud's rules for an accepted client CA bundle. Pure: no I/O. The size and count limits come
 * first and, when broken, alone: nothing is parsed (checkBundleInput) or compared pairwise (checkBundle)
 * beyond them, so the work for one bundle is bounded whatever its sender put in it.
 */
import type { BundleCertificate } from './bundle.js';
import { factsOf, oneLine } from './certificate-facts.js';
import { keyTypeName, supportedKeySpec } from './keys.js';
import { RSA_MIN_BITS } from './profile.js';

/** At most 16 certificates in a bundle (Temporal Cloud). */
export const BUNDLE_MAX_CERTIFICATES = 16;
/** At most 32 KB of PEM in a bundle (Temporal Cloud). */
export const BUNDLE_MAX_BYTES = 32 * 1024;

/** Which rule a bundle breaks, as a stable code (tests and callers switch on it, never on the message). */
export type BundleCode =
  /** The bundle holds no certificate. */
  | 'empty'
  /** More than 16 certificates (or PEM blocks). */
  | 'too-many'
  /** More than 32 KB of PEM. */
  | 'too-large'
  /** A certificate that is not a CA (basicConstraints without CA:TRUE). */
  | 'not-a-ca'
  /** A certificate past its notAfter. */
  | 'expired'
  /** An RSA key under 2048 bits. */
  | 'weak-key'
  /** A key Temporal Cloud cannot use: not RSA or ECDSA on a NIST curve, an RSA exponent over 2^31-1, an unreadable key. */
  | 'unsupported-key'
  /** A signature weaker than SHA-256, or not RSA or ECDSA. */
  | 'weak-signature'
  /** The same certificate (by fingerprint) a second time. */
  | 'duplicate-certificate'
  /** Two certificates whose subjects are equal case-insensitively. */
  | 'duplicate-subject'
  /** A certificate neither self-signed nor issued by another certificate of the bundle. */
  | 'missing-issuer'
  /** A certificate that names itself as its issuer but whose signature does not verify with its own key. */
  | 'bad-self-signature';

export interface BundleProblem {
  code: BundleCode;
  /** The certificate concerned, when there is one. */
  fingerprint?: string;
  /** One line saying what is wrong, naming the certificate by subject. */
  message: string;
}

/** What one certificate breaks, said without naming it (checkBundle adds its name). */
interface Finding {
  code: BundleCode;
  message: string;
}

/**
 * The limits, checked on the bundle as sent, before it is parsed: more than 32 KB, or more -----BEGIN
 * lines than 16 certificates need. Counting is one pass over the bytes; empty when within the limits.
 */
export function checkBundleInput(input: string | Uint8Array): BundleProblem[] {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > BUNDLE_MAX_BYTES) return [{ code: 'too-large', message: tooManyBytes(bytes) }];
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  let begins = 0;
  for (let at = text.indexOf('-----BEGIN '); at >= 0; at = text.indexOf('-----BEGIN ', at + 1)) begins++;
  return begins > BUNDLE_MAX_CERTIFICATES ? [{ code: 'too-many', message: tooManyCertificates(begins, 'blocks') }] : [];
}

function tooManyBytes(bytes: number): string {
  return `the bundle is ${bytes} bytes of PEM, more than the ${BUNDLE_MAX_BYTES} (32 KB) Temporal Cloud accepts: remove certificates`;
}

function tooManyCertificates(count: number, what: 'certificates' | 'blocks'): string {
  if (what === 'blocks') {
    return `the bundle holds ${count} PEM blocks, more than the ${BUNDLE_MAX_CERTIFICATES} certificates Temporal Cloud accepts: remove ${count - BUNDLE_MAX_CERTIFICATES}`;
  }
  return `the bundle holds ${count} certificates, more than the ${BUNDLE_MAX_CERTIFICATES} Temporal Cloud accepts: remove ${count - BUNDLE_MAX_CERTIFICATES}`;
}

/**
 * Every way the bundle breaks Temporal Cloud's rules at `now` (empty when it is acceptable): no
 * certificate; more than 16 or more than 32 KB of PEM (then only that: nothing else is checked); a
 * certificate that is not a CA (CA:TRUE); an expired one; a key that is not RSA of 2048 bits or more
 * or ECDSA on a NIST curve; a signature weaker than SHA-256 or not RSA/ECDSA; the same certificate
 * twice (by fingerprint); two subjects equal case-insensitively; a certificate neither self-signed
 * nor issued by another certificate in the bundle.
 *
 * `accepted`: the fingerprints of certificates the service holds already, when the bundle keeps all of
 * them (a change that only adds). What the service checked when it took them cannot have changed
 * (being a CA, the key, the signature, and with none of them gone, what issued them), so they are
 * checked only for what can: expiry, and copies or namesakes among the certificates added. They are
 * then never parsed beyond their names: a bundle of many CAs costs what the certificates added cost.
 */
export function checkBundle(certificates: readonly BundleCertificate[], now: Date, options: { accepted?: ReadonlySet<string> } = {}): BundleProblem[] {
  if (certificates.length === 0) return [{ code: 'empty', message: 'the bundle holds no certificate: add at least one CA certificate' }];
  const limits: BundleProblem[] = [];
  if (certificates.length > BUNDLE_MAX_CERTIFICATES) limits.push({ code: 'too-many', message: tooManyCertificates(certificates.length, 'certificates') });
  const bytes = certificates.reduce((sum, c) => sum + Buffer.byteLength(c.pem, 'utf8'), 0);
  if (bytes > BUNDLE_MAX_BYTES) limits.push({ code: 'too-large', message: tooManyBytes(bytes) });
  if (limits.length > 0) return limits;
  const problems: BundleProblem[] = [];
  const keys = certificates.map(keyProblem);
  const accepted = options.accepted ?? new Set<string>();
  certificates.forEach((certificate, index) => {
    const found = accepted.has(certificate.fingerprint) ? acceptedProblems(certificates, index, now) : certificateProblems(certificates, index, now, keys);
    for (const { code, message } of found) {
      problems.push({ code, fingerprint: certificate.fingerprint, message: `${describe(certificate)} ${message}` });
    }
  });
  return problems;
}

/** Subjects longer than this are cut in messages: a message names a certificate, it does not reproduce it. */
const SUBJECT_SHOWN = 120;

/** `certificate CN=…,O=… (fingerprint 1a2b3c4d)`, on one line and of bounded length whatever the subject holds. */
function describe(certificate: BundleCertificate): string {
  const subject = oneLine(certificate.subject);
  const shown = subject.length > SUBJECT_SHOWN ? `${subject.slice(0, SUBJECT_SHOWN)}…` : subject;
  return `certificate ${shown} (fingerprint ${certificate.fingerprint.slice(0, 8)})`;
}

/** What can have changed for a certificate the service already took: its expiry, or a copy of one before it. */
function acceptedProblems(all: readonly BundleCertificate[], index: number, now: Date): Finding[] {
  const certificate = all[index]!;
  const copy = copyFinding(all, index);
  if (copy) return [copy];
  return certificate.notAfter.getTime() <= now.getTime() ? [expiredFinding(certificate)] : [];
}

/** A certificate that is one before it again, which has every problem of the original (already reported): then only that. */
function copyFinding(all: readonly BundleCertificate[], index: number): Finding | undefined {
  const copy = all.slice(0, index).findIndex((c) => c.fingerprint === all[index]!.fingerprint);
  return copy >= 0 ? { code: 'duplicate-certificate', message: `is certificate ${copy + 1} again: remove the copy` } : undefined;
}

function expiredFinding(certificate: BundleCertificate): Finding {
  return { code: 'expired', message: `expired on ${certificate.notAfter.toISOString()}: remove it` };
}

/** `keys`: each certificate's key problem (undefined: its key is acceptable), by position. */
function certificateProblems(all: readonly BundleCertificate[], index: number, now: Date, keys: ReadonlyArray<Finding | undefined>): Finding[] {
  const certificate = all[index]!;
  const earlier = all.slice(0, index);
  const copy = copyFinding(all, index);
  if (copy) return [copy];

  const found: Finding[] = [];
  const own = factsOf(certificate.x509);
  const facts = own.parsed;
  const key = keys[index];
  // basicConstraints itself: node's X509Certificate.ca is also false for CA:TRUE without keyCertSign.
  if (!(facts.basicConstraints?.ca ?? false)) {
    found.push({
      code: 'not-a-ca',
      message: 'is not a CA (its basicConstraints lack CA:TRUE): the bundle takes the CA that issues client certificates, not a client certificate',
    });
  }
  if (certificate.notAfter.getTime() <= now.getTime()) found.push(expiredFinding(certificate));
  if (key) found.push(key);
  if (!facts.signature.acceptable) {
    found.push({ code: 'weak-signature', message: `is signed with ${facts.signature.name}: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger` });
  }
  const subject = certificate.subject.toLowerCase();
  const namesake = earlier.find((c) => c.fingerprint !== certificate.fingerprint && c.subject.toLowerCase() === subject);
  if (namesake) found.push({ code: 'duplicate-subject', message: `has the same subject as ${describe(namesake)}: each CA needs a distinct subject` });

  // Signatures are checked only with keys that passed: a key refused above (an RSA exponent of
  // thousands of bits makes one check cost milliseconds) costs the sender nothing but its refusal.
  // A self-named certificate whose key is refused is not checked further: its key problem says it all.
  const selfSigned = facts.selfNamed && (key !== undefined || own.isSignedBy(own));
  const issued = all.some((c, i) => c.fingerprint !== certificate.fingerprint && keys[i] === undefined && own.isIssuedBy(factsOf(c.x509)));
  if (!selfSigned && !issued) {
    found.push(
      facts.selfNamed
        ? { code: 'bad-self-signature', message: 'names itself as its issuer, but its signature does not verify with its own key' }
        : { code: 'missing-issuer', message: `is neither self-signed nor issued by another certificate in the bundle: add its issuer (${shorten(certificate.issuer)}) too` },
    );
  }
  return found;
}

function shorten(name: string): string {
  return name.length > SUBJECT_SHOWN ? `${name.slice(0, SUBJECT_SHOWN)}…` : name;
}

/** Go's crypto/rsa refuses a public exponent above 2^31-1 (checkPub); such a key also makes each signature check slow. */
const RSA_MAX_PUBLIC_EXPONENT = 2n ** 31n - 1n;

/**
 * Temporal Cloud accepts RSA and ECDSA keys on the NIST curves (the same rule keys.ts applies to CA keys);
 * RSA under 2048 bits is refused, as in certificate signing requests.
 */
function keyProblem(certificate: BundleCertificate): Finding | undefined {
  let key;
  try {
    key = factsOf(certificate.x509).publicKey;
  } catch {
    return { code: 'unsupported-key', message: 'has an unreadable key' };
  }
  const spec = supportedKeySpec(key);
  if (!spec) return { code: 'unsupported-key', message: `has an unsupported key type ${keyTypeName(key)}: use an RSA or ECDSA (P-256, P-384, P-521) key` };
  if (spec.type === 'rsa' && spec.bits < RSA_MIN_BITS) return { code: 'weak-key', message: `has an RSA key of ${spec.bits} bits: use at least ${RSA_MIN_BITS}` };
  const exponent = key.asymmetricKeyDetails?.publicExponent;
  if (spec.type === 'rsa' && (exponent === undefined || exponent > RSA_MAX_PUBLIC_EXPONENT)) {
    return { code: 'unsupported-key', message: `has an RSA key whose public exponent is larger than 2^31-1, which Go's crypto/rsa (and so Temporal Cloud) cannot use: use 65537` };
  }
  return undefined;
}

/** How many problems a one-line summary names before it says how many more there are. */
export const PROBLEMS_SHOWN = 5;

/**
 * Problems on one line of bounded length: the first few, joined by '; ', then `and N more`. What a
 * refusal says must reach the person who sent the request (a gRPC status message travels in a header).
 */
export function summarizeProblems(messages: readonly string[], shown = PROBLEMS_SHOWN): string {
  const first = messages.slice(0, shown).map((m) => (m.length > 400 ? `${m.slice(0, 400)}…` : m));
  const more = messages.length - first.length;
  return more > 0 ? `${first.join('; ')}; and ${more} more problem${more === 1 ? '' : 's'}` : first.join('; ');
}
