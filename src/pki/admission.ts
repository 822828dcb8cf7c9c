/**
 * "Would Temporal Cloud accept this client certificate?": one implementation, shared by the
 * emulator's mTLS gateway, `tcld connectivity test`, `tcld certificates verify` and the tests.
 * Pure: no I/O.
 *
 * Decisions where Temporal Cloud's documentation leaves room:
 * - The RFC 5280 path rules are OpenSSL's (the gateway validates every chain with OpenSSL too, and
 *   `tcld cert verify` must say the same without a handshake): name constraints as OpenSSL checks them
 *   (name-constraints.ts), critical extensions OpenSSL does not recognise refuse the chain
 *   (critical-extensions.ts), and anyExtendedKeyUsage (2.5.29.37.0) alone does not allow clientAuth,
 *   as OpenSSL's "sslclient" purpose reads it (Go's crypto/x509 would accept it).
 * - Certificate filters see the leaf's last CN, every O and OU, and its SAN DNS names only (not
 *   emails, URIs or IP addresses), so that a SAN filter admits no more than it names.
 * - CAs on the path must allow clientAuth too when they carry an extended key usage (Go checks the
 *   usage along the chain), and their pathLenConstraint holds (tcld's CAs say pathlen:0).
 * - A signature weaker than SHA-256 on the leaf or an intermediate is refused, as for bundle CAs.
 */
import type { X509Certificate } from 'node:crypto';
import type { BundleCertificate } from './bundle.js';
import {
  EKU,
  extendedKeyUsageNames,
  factsOf,
  formatTime,
  keyUsageNames,
  oneLine,
  type CertificateFacts,
} from './certificate-facts.js';
import { unrecognisedCritical } from './critical-extensions.js';
import { matchesAnyFilter, type CertificateFilter, type FilterSubject } from './filters.js';
import { nameConstraintViolation } from './name-constraints.js';
import { KeyUsageFlags } from './x509.js';

/** The longest path followed, leaf and bundle CA included: real chains have 2 or 3 certificates. */
export const MAX_CHAIN_LENGTH = 8;

/** Issuer candidates tried per admission at most, so that a client sending many same-named certificates cannot make one handshake cost many signature checks. */
const MAX_CANDIDATES = 16;

/** Clients' certificates remembered by fingerprint: a worker reconnecting with the same certificate costs no parse and no signature check. */
const RECENT_CERTIFICATES = 1024;

/** A namespace's rules: its accepted CA bundle and its certificate filters (none: any certificate of the bundle). */
export interface AdmissionPolicy {
  bundle: readonly BundleCertificate[];
  filters: readonly CertificateFilter[];
}

/** A policy indexed for fast checks (issuers found by name, not by trying each CA): build once per bundle version. */
export interface PreparedPolicy {
  readonly prepared: true;
}

/**
 * Indexes the bundle by subject (parsing nothing yet) and, as certificates are checked, remembers the
 * last 1024 client certificates by fingerprint with their parsed extensions and verified signatures.
 * Keep one per bundle version and use it for every handshake; validity is rechecked at each call.
 */
export function preparePolicy(policy: AdmissionPolicy): PreparedPolicy {
  return new Prepared(policy);
}

/**
 * Why a certificate is refused, as a stable code: metrics, `tcld cert verify --output json` and the
 * tests switch on it, never on the message (README, "cert verify --output json", lists them).
 */
export type AdmissionCode =
  /** The client presented no certificate. */
  | 'no-client-certificate'
  /** No path from the certificate reaches a CA of the bundle (unknown issuer, a same-named CA that did not sign it, a chain too long). */
  | 'untrusted-issuer'
  /** The certificate, or a CA on its path, is past its notAfter. */
  | 'expired'
  /** The certificate, or a CA on its path, is before its notBefore. */
  | 'not-yet-valid'
  /** The client certificate is itself a CA (basicConstraints CA:TRUE). */
  | 'ca-as-client'
  /** An intermediate on the path is not a CA. */
  | 'not-a-ca'
  /** The certificate's key usage lacks digitalSignature. */
  | 'key-usage'
  /** The certificate's extended key usage, or a CA's on the path, lacks clientAuth. */
  | 'ext-key-usage'
  /** The certificate or an intermediate is signed with less than SHA-256, or not with RSA or ECDSA. */
  | 'weak-signature'
  /** A CA's pathLenConstraint allows fewer intermediates than the path has. */
  | 'path-length'
  /** A name on the path breaks a CA's name constraints. */
  | 'name-constraints'
  /** A certificate on the path has a critical extension the verifier does not recognise. */
  | 'critical-extension'
  /** Two certificates on the path have the same subject (case-insensitive). */
  | 'duplicate-name'
  /** The certificate matches none of the namespace's certificate filters. */
  | 'filter-mismatch'
  /** A certificate of the chain could not be read. */
  | 'unreadable';

export interface AdmissionProblem {
  code: AdmissionCode;
  /** One line, for people. */
  message: string;
}

export interface AdmissionResult {
  accepted: boolean;
  /** Every reason for refusal, one line each (empty when accepted): the messages of `problems`. */
  reasons: string[];
  /** The same reasons with their codes, in the same order. */
  problems: AdmissionProblem[];
  /** The path the checks followed, from the leaf to a certificate of the bundle, when one was found. */
  path?: X509Certificate[];
}

/**
 * Checks a client's certificate chain (the leaf first, then any intermediates the client sent) at `now`:
 * it chains to a certificate of the bundle (intermediates from the bundle or the client); every certificate
 * on the chain is within its validity; the leaf is CA:FALSE, its key usage (when present) includes
 * digitalSignature, its extended key usage is clientAuth or absent; every distinguished name along the
 * chain is unique (case-insensitive); and, when there are filters, it matches at least one.
 */
export function admitClient(chain: readonly X509Certificate[], policy: PreparedPolicy, now: Date): AdmissionResult {
  if (!(policy as Partial<Prepared>).admit) throw new TypeError('admitClient takes a policy made by preparePolicy');
  try {
    return (policy as Prepared).admit(chain, now);
  } catch (error) {
    // A certificate OpenSSL read but the ASN.1 parser cannot (a malformed extension): refuse, do not throw at the gateway.
    const message = error instanceof Error ? error.message : String(error);
    return resultOf([problem('unreadable', `a certificate of the chain could not be read: ${oneLine(message)}`)]);
  }
}

/** What certificate filters compare: the last CN, every O and OU, the SAN DNS names. */
export function subjectForFilters(x509: X509Certificate): FilterSubject {
  const { commonName, organization, organizationalUnit, subjectAlternativeNames } = factsOf(x509).parsed.filterSubject;
  return {
    commonName: [...commonName],
    organization: [...organization],
    organizationalUnit: [...organizationalUnit],
    subjectAlternativeNames: [...subjectAlternativeNames],
  };
}

/** One line: `CN=worker,O=myco, issued by CN=client.root.myco.ab12,O=myco, valid 2026-11-27T11:59:00Z to 2027-11-26T12:00:00Z`. */
export function describeCertificate(x509: X509Certificate): string {
  const { subject, issuer, notBefore, notAfter } = factsOf(x509).parsed;
  return `${oneLine(subject)}, issued by ${oneLine(issuer)}, valid ${formatTime(notBefore)} to ${formatTime(notAfter)}`;
}

type Path = CertificateFacts[];

function problem(code: AdmissionCode, message: string): AdmissionProblem {
  return { code, message };
}

function resultOf(problems: AdmissionProblem[], path?: Path): AdmissionResult {
  const result: AdmissionResult = { accepted: problems.length === 0, reasons: problems.map((p) => p.message), problems };
  if (path) result.path = path.map((facts) => facts.x509);
  return result;
}

interface Search {
  now: Date;
  /** The client's intermediates, without copies and without certificates of the bundle. */
  sent: CertificateFacts[];
  candidates: number;
  best?: { path: Path; problems: AdmissionProblem[] };
  /** A bundle CA with the right name that did not sign the certificate naming it. */
  impostor?: { child: CertificateFacts; anchor: CertificateFacts };
  /** The longest path through the client's intermediates, for saying where the chain ends. */
  deepest: Path;
  tooLong: boolean;
}

class Prepared implements PreparedPolicy {
  readonly prepared = true;
  readonly #filters: readonly CertificateFilter[];
  /** The bundle by lowercase subject: finding an issuer costs the same for 1 CA or 100. */
  readonly #anchorsByName = new Map<string, CertificateFacts[]>();
  readonly #anchorsByFingerprint = new Map<string, CertificateFacts>();
  /** Least recently used first. */
  readonly #recent = new Map<string, CertificateFacts>();

  constructor(policy: AdmissionPolicy) {
    this.#filters = [...policy.filters];
    for (const certificate of policy.bundle) {
      const facts = factsOf(certificate.x509);
      if (this.#anchorsByFingerprint.has(facts.fingerprint)) continue;
      this.#anchorsByFingerprint.set(facts.fingerprint, facts);
      const named = this.#anchorsByName.get(facts.subjectKey);
      if (named) named.push(facts);
      else this.#anchorsByName.set(facts.subjectKey, [facts]);
    }
  }

  admit(chain: readonly X509Certificate[], now: Date): AdmissionResult {
    if (chain.length === 0) {
      return resultOf([problem('no-client-certificate', "no client certificate was presented: present one issued by a CA in the namespace's accepted bundle")]);
    }
    const [leaf, ...rest] = chain.map((x509) => this.#factsOf(x509));
    const problems = leafProblems(leaf!, now);
    const found = this.#findPath(leaf!, rest, now);
    problems.push(...found.problems);
    const { filterSubject } = leaf!.parsed;
    if (!matchesAnyFilter(this.#filters, filterSubject)) {
      const count = this.#filters.length === 1 ? '1 certificate filter' : `${this.#filters.length} certificate filters`;
      problems.push(problem('filter-mismatch', `the certificate matches none of the namespace's ${count} (it has ${describeFilterSubject(filterSubject)})`));
    }
    return resultOf(problems, found.path);
  }

  #factsOf(x509: X509Certificate): CertificateFacts {
    const fingerprint = x509.fingerprint256;
    const anchor = this.#anchorsByFingerprint.get(fingerprint);
    if (anchor) return anchor;
    let facts = this.#recent.get(fingerprint);
    if (facts) this.#recent.delete(fingerprint);
    else facts = factsOf(x509);
    this.#recent.set(fingerprint, facts);
    if (this.#recent.size > RECENT_CERTIFICATES) this.#recent.delete(this.#recent.keys().next().value!);
    return facts;
  }

  #findPath(leaf: CertificateFacts, rest: CertificateFacts[], now: Date): { path?: Path; problems: AdmissionProblem[] } {
    // A bundle CA presented as the client certificate is its own path; leafProblems says it is a CA.
    if (this.#anchorsByFingerprint.has(leaf.fingerprint)) return { path: [leaf], problems: [] };
    const sent = [...new Set(rest)].filter((c) => c !== leaf && !this.#anchorsByFingerprint.has(c.fingerprint));
    const search: Search = { now, sent, candidates: 0, deepest: [leaf], tooLong: false };
    this.#extend([leaf], search);
    if (search.best) return { path: search.best.path, problems: search.best.problems };
    return { problems: [problem('untrusted-issuer', noPathProblem(leaf, search))] };
  }

  /** Depth first from the path's last certificate; true once a path without problems is found. */
  #extend(path: Path, search: Search): boolean {
    const child = path[path.length - 1]!;
    for (const anchor of this.#anchorsByName.get(child.issuerKey) ?? []) {
      if (++search.candidates > MAX_CANDIDATES) return false;
      if (!child.isIssuedBy(anchor)) {
        search.impostor ??= { child, anchor };
        continue;
      }
      const complete = [...path, anchor];
      const problems = pathProblems(complete, search.now);
      if (!search.best || problems.length < search.best.problems.length) search.best = { path: complete, problems };
      if (problems.length === 0) return true;
    }
    for (const next of search.sent) {
      if (next.subjectKey !== child.issuerKey || path.includes(next)) continue;
      if (path.length + 2 > MAX_CHAIN_LENGTH) {
        search.tooLong = true;
        return false;
      }
      if (++search.candidates > MAX_CANDIDATES) return false;
      if (!child.isIssuedBy(next)) continue;
      const longer = [...path, next];
      if (longer.length > search.deepest.length) search.deepest = longer;
      if (this.#extend(longer, search)) return true;
    }
    return false;
  }
}

/** The leaf's own rules: validity, CA:FALSE, digitalSignature, clientAuth, a strong signature, no unknown critical extension. */
function leafProblems(leaf: CertificateFacts, now: Date): AdmissionProblem[] {
  const { basicConstraints, keyUsage, extendedKeyUsage, signature } = leaf.parsed;
  const problems = validityProblems(leaf, 'the certificate', now);
  if (basicConstraints?.ca) problems.push(problem('ca-as-client', 'the certificate is a CA (basicConstraints CA:TRUE); present an end-entity certificate'));
  if (keyUsage !== undefined && !(keyUsage & KeyUsageFlags.digitalSignature)) {
    problems.push(problem('key-usage', `the certificate's key usage (${keyUsageNames(keyUsage)}) lacks digitalSignature`));
  }
  if (extendedKeyUsage && !allowsClientAuth(extendedKeyUsage)) {
    problems.push(problem('ext-key-usage', `the certificate's extended key usage (${extendedKeyUsageNames(extendedKeyUsage)}) lacks clientAuth`));
  }
  if (!signature.acceptable) problems.push(problem('weak-signature', `the certificate is signed with ${signature.name}: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger`));
  problems.push(...criticalProblems(leaf, 'the certificate'));
  return problems;
}

function criticalProblems(certificate: CertificateFacts, label: string): AdmissionProblem[] {
  const unknown = unrecognisedCritical(certificate.parsed.criticalExtensions);
  if (unknown.length === 0) return [];
  const which = unknown.length === 1 ? `extension ${unknown[0]}` : `extensions ${unknown.join(', ')}`;
  return [problem('critical-extension', `${label} has the critical ${which}, which the verifier does not recognise (RFC 5280 4.2: such a certificate is refused)`)];
}

/** The rules for the CAs of a complete path (leaf first, bundle CA last) and for the names along it. */
function pathProblems(path: Path, now: Date): AdmissionProblem[] {
  const problems: AdmissionProblem[] = [];
  const last = path.length - 1;
  const label = (i: number) =>
    i === 0 ? 'the certificate' : `${i === last ? "the namespace's CA" : 'the intermediate CA'} ${oneLine(path[i]!.parsed.subject)}`;
  let intermediatesBelow = 0;
  for (let i = 1; i <= last; i++) {
    const ca = path[i]!;
    const { basicConstraints, extendedKeyUsage, signature } = ca.parsed;
    problems.push(...validityProblems(ca, label(i), now));
    if (i < last && !basicConstraints?.ca) problems.push(problem('not-a-ca', `${label(i)} is not a CA (its basicConstraints lack CA:TRUE), so it may not issue certificates`));
    if (i < last && !signature.acceptable) {
      problems.push(problem('weak-signature', `${label(i)} is signed with ${signature.name}: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger`));
    }
    const allowed = basicConstraints?.pathLength;
    if (allowed !== undefined && intermediatesBelow > allowed) {
      problems.push(problem('path-length', `${label(i)} allows ${allowed} intermediate CAs below it (pathlen:${allowed}), but the chain has ${intermediatesBelow}`));
    }
    if (extendedKeyUsage && !allowsClientAuth(extendedKeyUsage)) {
      problems.push(problem('ext-key-usage', `${label(i)} limits what it issues to ${extendedKeyUsageNames(extendedKeyUsage)} (its extended key usage), which lacks clientAuth`));
    }
    problems.push(...criticalProblems(ca, label(i)));
    // RFC 5280 4.2.1.9: a self-issued intermediate does not count against pathLenConstraint.
    if (ca.subjectKey !== ca.issuerKey) intermediatesBelow++;
  }
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (path[i]!.subjectKey !== path[j]!.subjectKey) continue;
      const subject = i === 0 ? `the certificate's subject (${oneLine(path[0]!.parsed.subject)})` : `the subject of ${label(i)}`;
      problems.push(problem('duplicate-name', `${subject} is also the subject of ${j === last ? "the namespace's CA" : 'an intermediate CA'} above it: Temporal Cloud requires distinct names along the chain`));
    }
  }
  const violation = nameConstraintViolation(path.map((facts) => ({ ...facts.parsed, selfIssued: facts.subjectKey === facts.issuerKey })));
  if (violation) {
    const what = { permitted: 'is outside the names permitted by', excluded: 'is among the names excluded by', unsupported: 'cannot be checked against' }[violation.outcome];
    problems.push(problem('name-constraints', `${violation.name} of ${label(violation.certificate)} ${what} the name constraints of ${label(violation.constrainedBy)}`));
  }
  return problems;
}

function validityProblems(certificate: CertificateFacts, label: string, now: Date): AdmissionProblem[] {
  const { notBefore, notAfter } = certificate.parsed;
  if (now.getTime() > notAfter.getTime()) return [problem('expired', `${label} expired on ${formatTime(notAfter)}`)];
  if (now.getTime() < notBefore.getTime()) return [problem('not-yet-valid', `${label} is not valid until ${formatTime(notBefore)}`)];
  return [];
}

/** OpenSSL's sslclient purpose: clientAuth itself (anyExtendedKeyUsage alone does not do). */
function allowsClientAuth(oids: readonly string[]): boolean {
  return oids.includes(EKU.clientAuth);
}

/** Why no path reached the bundle, as precisely as the search can tell. */
function noPathProblem(leaf: CertificateFacts, search: Search): string {
  const end = search.deepest[search.deepest.length - 1]!;
  if (search.candidates > MAX_CANDIDATES) {
    return `the client sent more same-named certificates than are checked (${MAX_CANDIDATES} issuer candidates): send only the certificate and its intermediates`;
  }
  if (search.tooLong) return `the certificate's chain is longer than ${MAX_CHAIN_LENGTH} certificates before it reaches a CA in the namespace's accepted bundle`;
  if (search.impostor) {
    const { child, anchor } = search.impostor;
    const who = child === leaf ? 'the certificate' : `the intermediate CA ${oneLine(child.parsed.subject)}`;
    const names = `${who} names the namespace's CA ${oneLine(anchor.parsed.subject)} as its issuer, but`;
    const usage = anchor.parsed.keyUsage;
    return usage !== undefined && !(usage & KeyUsageFlags.keyCertSign)
      ? `${names} that CA may not sign certificates (its key usage lacks keyCertSign)`
      : `${names} that CA did not sign it: it comes from another CA with the same name`;
  }
  if (end === leaf) return `the certificate is not issued by any CA in the namespace's accepted bundle (issuer ${oneLine(leaf.parsed.issuer)})`;
  return `the certificate is not issued by any CA in the namespace's accepted bundle: its chain ends at the intermediate CA ${oneLine(end.parsed.subject)}, whose issuer ${oneLine(end.parsed.issuer)} is not in the bundle`;
}

/** `CN=worker, O=myco, OU=payments, SAN DNS:a.example`: what the filters compared. */
function describeFilterSubject(subject: Required<FilterSubject>): string {
  const parts = [
    ...subject.commonName.map((v) => `CN=${v}`),
    ...subject.organization.map((v) => `O=${v}`),
    ...subject.organizationalUnit.map((v) => `OU=${v}`),
    ...subject.subjectAlternativeNames.map((v) => `SAN DNS:${v}`),
  ];
  return parts.length > 0 ? oneLine(parts.join(', ')) : 'no CN, O, OU or SAN DNS name';
}
