/**
 * RFC 5280 4.2.1.10 name constraints, checked as OpenSSL 3's check_name_constraints does them (so
 * that `tcld cert verify`, which has no private key and so no TLS handshake, says what the gateway's
 * OpenSSL says): every CA's constraints, the trust anchor's included, apply to every certificate below
 * it that is not a self-issued intermediate; a certificate's subject is a directoryName and its
 * emailAddress attributes emails; each subjectAltName entry is checked; and the leaf's commonNames that
 * look like host names are checked as DNS names too. A name form OpenSSL cannot check under a
 * constraint of its type, a malformed name or a subtree with a minimum or maximum refuses the chain.
 * Pure.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { GeneralName, GeneralSubtree, Name, NameConstraints } from '@peculiar/asn1-x509';
import { stringValue } from './format-name.js';

/** What the check reads of a certificate (certificate-facts parses it once). */
export interface ConstrainedCertificate {
  subjectName: Name;
  alternativeNames: readonly GeneralName[];
  nameConstraints: NameConstraints | undefined;
  /** Subject and issuer are the same name. */
  selfIssued: boolean;
}

export type NameConstraintOutcome = 'ok' | 'permitted' | 'excluded' | 'unsupported';

export interface NameConstraintViolation {
  /** Index in the path (0: the leaf) of the certificate whose name is refused, and of the CA whose constraints refuse it. */
  certificate: number;
  constrainedBy: number;
  outcome: Exclude<NameConstraintOutcome, 'ok'>;
  /** The name refused, as `DNS:evil.example`. */
  name: string;
}

const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
const COMMON_NAME = '2.5.4.3';
/** An emailAddress attribute OpenSSL cannot read as a mailbox: refused under any name constraints. */
const BAD_EMAIL = 'emailAddress syntax';

type Form = 'dns' | 'email' | 'uri' | 'ip' | 'dirname' | 'other';
interface CheckedName {
  form: Form;
  /** Text for dns, email and uri; bytes for ip; the Name for dirname. */
  value: string | Uint8Array | Name;
  shown: string;
  /** For 'other': which GeneralName choice (only constraints of the same choice apply). */
  choice?: string;
}

/** The first violation along the path (leaf first, anchor last), or undefined when every name is within its CAs' constraints. */
export function nameConstraintViolation(path: readonly ConstrainedCertificate[]): NameConstraintViolation | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const certificate = path[i]!;
    if (i !== 0 && certificate.selfIssued) continue;
    let names: CheckedName[] | undefined;
    for (let j = path.length - 1; j > i; j--) {
      const constraints = path[j]!.nameConstraints;
      if (!constraints) continue;
      names ??= namesOf(certificate);
      const checked = i === 0 ? [...names, ...hostLikeCommonNames(certificate.subjectName, certificate.alternativeNames)] : names;
      for (const name of checked) {
        const outcome = matchConstraints(name, constraints);
        if (outcome !== 'ok') return { certificate: i, constrainedBy: j, outcome, name: name.shown };
      }
    }
  }
  return undefined;
}

function namesOf(certificate: ConstrainedCertificate): CheckedName[] {
  const names: CheckedName[] = [];
  const subject = certificate.subjectName;
  if (subject.length > 0) {
    names.push({ form: 'dirname', value: subject, shown: 'the subject' });
    for (const rdn of subject) {
      for (const atv of rdn) {
        if (atv.type !== EMAIL_ADDRESS) continue;
        // OpenSSL: an emailAddress that is not an IA5String is a name it cannot check.
        const email = atv.value.ia5String;
        names.push(email === undefined ? { form: 'other', choice: BAD_EMAIL, value: '', shown: 'an emailAddress that is not an IA5String' } : { form: 'email', value: email, shown: `email:${email}` });
      }
    }
  }
  for (const general of certificate.alternativeNames) names.push(checkedName(general));
  return names;
}

/** OpenSSL checks the leaf's commonNames that look like host names (two labels or more) against DNS constraints, unless the leaf has a DNS subjectAltName. */
function hostLikeCommonNames(subject: Name, alternativeNames: readonly GeneralName[]): CheckedName[] {
  if (alternativeNames.some((name) => name.dNSName !== undefined)) return [];
  const names: CheckedName[] = [];
  for (const rdn of subject) {
    for (const atv of rdn) {
      if (atv.type !== COMMON_NAME) continue;
      const value = stringValue(atv.value);
      if (value !== undefined && looksLikeHostName(value)) names.push({ form: 'dns', value, shown: `CN=${value}` });
    }
  }
  return names;
}

/** OpenSSL's cn2dnsid: letters, digits, '_', inner '-' and '.', a '.' not next to another '.' or a '-', and at least one '.'. */
function looksLikeHostName(value: string): boolean {
  let dotted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (/[A-Za-z0-9_]/.test(c)) continue;
    if (i > 0 && i < value.length - 1) {
      if (c === '-') continue;
      if (c === '.' && value[i + 1] !== '.' && value[i - 1] !== '-' && value[i + 1] !== '-') {
        dotted = true;
        continue;
      }
    }
    return false;
  }
  return dotted;
}

function checkedName(general: GeneralName): CheckedName {
  if (general.dNSName !== undefined) return { form: 'dns', value: general.dNSName, shown: `DNS:${general.dNSName}` };
  if (general.rfc822Name !== undefined) return { form: 'email', value: general.rfc822Name, shown: `email:${general.rfc822Name}` };
  if (general.uniformResourceIdentifier !== undefined) return { form: 'uri', value: general.uniformResourceIdentifier, shown: `URI:${general.uniformResourceIdentifier}` };
  if (general.directoryName !== undefined) return { form: 'dirname', value: general.directoryName, shown: 'a directoryName subjectAltName' };
  if (general.iPAddress !== undefined) return { form: 'ip', value: ipBytes(general.iPAddress) ?? new Uint8Array(), shown: `IP:${general.iPAddress}` };
  const choice = Object.keys(general).find((key) => (general as unknown as Record<string, unknown>)[key] !== undefined) ?? 'unknown';
  return { form: 'other', choice, value: '', shown: `a ${choice} subjectAltName` };
}

function matchConstraints(name: CheckedName, constraints: NameConstraints): NameConstraintOutcome {
  if (name.form === 'other' && name.choice === BAD_EMAIL) return 'unsupported';
  let permitted: 'none' | 'unmatched' | 'matched' = 'none';
  for (const subtree of constraints.permittedSubtrees ?? []) {
    if (!sameForm(name, subtree.base)) continue;
    if (!minMaxValid(subtree)) return 'unsupported';
    if (permitted === 'matched') continue;
    permitted = 'unmatched';
    const match = matchSingle(name, subtree.base);
    if (match === 'unsupported') return match;
    if (match) permitted = 'matched';
  }
  if (permitted === 'unmatched') return 'permitted';
  for (const subtree of constraints.excludedSubtrees ?? []) {
    if (!sameForm(name, subtree.base)) continue;
    if (!minMaxValid(subtree)) return 'unsupported';
    const match = matchSingle(name, subtree.base);
    if (match === 'unsupported') return match;
    if (match) return 'excluded';
  }
  return 'ok';
}

function sameForm(name: CheckedName, base: GeneralName): boolean {
  const form = checkedName(base);
  return form.form === name.form && (form.form !== 'other' || form.choice === name.choice);
}

/** RFC 5280: minimum MUST be zero and maximum absent (OpenSSL refuses anything else). */
function minMaxValid(subtree: GeneralSubtree): boolean {
  return (subtree.minimum ?? 0) === 0 && subtree.maximum === undefined;
}

function matchSingle(name: CheckedName, base: GeneralName): boolean | 'unsupported' {
  switch (name.form) {
    case 'dns':
      return matchDns(name.value as string, base.dNSName!);
    case 'email':
      return matchEmail(name.value as string, base.rfc822Name!);
    case 'uri':
      return matchUri(name.value as string, base.uniformResourceIdentifier!);
    case 'ip':
      return matchIp(name.value as Uint8Array, base.iPAddress!);
    case 'dirname':
      return matchDirectoryName(name.value as Name, base.directoryName!);
    case 'other':
      return 'unsupported';
  }
}

/** OpenSSL's nc_dns: empty matches all; otherwise the name ends with the base, on a label boundary. */
function matchDns(dns: string, base: string): boolean {
  if (base.length === 0) return true;
  if (dns.length < base.length) return false;
  const tail = dns.slice(dns.length - base.length);
  if (dns.length > base.length && !base.startsWith('.') && dns[dns.length - base.length - 1] !== '.') return false;
  return tail.toLowerCase() === base.toLowerCase();
}

/** OpenSSL's nc_email: a mailbox (exact, domain case-insensitive), `.domain` (any subdomain), or a host. */
function matchEmail(email: string, base: string): boolean | 'unsupported' {
  const at = email.lastIndexOf('@');
  if (at < 0) return 'unsupported';
  const domain = email.slice(at + 1);
  if (base.startsWith('.')) return domain.length > base.length && domain.slice(-base.length).toLowerCase() === base.toLowerCase();
  const baseAt = base.lastIndexOf('@');
  if (baseAt >= 0) {
    return email.slice(0, at) === base.slice(0, baseAt) && domain.toLowerCase() === base.slice(baseAt + 1).toLowerCase();
  }
  return domain.toLowerCase() === base.toLowerCase();
}

/** OpenSSL's nc_uri: the host of `scheme://host[:port][/...]`, against `.domain` or a host. */
function matchUri(uri: string, base: string): boolean | 'unsupported' {
  const start = uri.indexOf('://');
  if (start < 0) return 'unsupported';
  const rest = uri.slice(start + 3);
  const end = rest.search(/[:/]/);
  const host = end < 0 ? rest : rest.slice(0, end);
  if (host.length === 0) return 'unsupported';
  if (base.startsWith('.')) return host.length > base.length && host.slice(-base.length).toLowerCase() === base.toLowerCase();
  return host.toLowerCase() === base.toLowerCase();
}

function matchIp(ip: Uint8Array, base: string): boolean {
  const constraint = ipConstraintBytes(base);
  if (!constraint || ip.length * 2 !== constraint.length) return false;
  const half = ip.length;
  for (let i = 0; i < half; i++) if ((ip[i]! & constraint[half + i]!) !== (constraint[i]! & constraint[half + i]!)) return false;
  return true;
}

/** asn1-x509 shows an address as text: `10.0.0.1` or `2001:db8::1`. */
function ipBytes(text: string): Uint8Array | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return Uint8Array.from(text.split('.').map(Number));
  if (!text.includes(':')) return undefined;
  const [left, right, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const l = groups(left);
  const r = groups(right);
  const missing = right === undefined ? 0 : 8 - l.length - r.length;
  const all = [...l, ...Array<string>(missing).fill('0'), ...r];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return Uint8Array.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** A constraint as asn1-x509 shows it, `10.0.0.0/8`, back to its address followed by its mask. */
function ipConstraintBytes(text: string): Uint8Array | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = ipBytes(text.slice(0, slash));
  const prefix = Number(text.slice(slash + 1));
  if (!address || !Number.isInteger(prefix) || prefix < 0 || prefix > address.length * 8) return undefined;
  const mask = Uint8Array.from({ length: address.length }, (_, i) => (0xff << (8 - Math.max(0, Math.min(8, prefix - 8 * i)))) & 0xff);
  return Uint8Array.from([...address, ...mask]);
}

/** OpenSSL's nc_dn: the base's RDNs begin the name's, compared in canonical form (case and inner spaces folded). */
function matchDirectoryName(name: Name, base: Name): boolean {
  if (base.length > name.length) return false;
  return base.every((rdn, i) => canonicalRdn(rdn) === canonicalRdn(name[i]!));
}

function canonicalRdn(rdn: Name[number]): string {
  return rdn
    .map((atv) => {
      const text = stringValue(atv.value);
      const value = text === undefined ? `#${Buffer.from(AsnConvert.serialize(atv.value)).toString('hex')}` : text.trim().replace(/\s+/g, ' ').toLowerCase();
      return `${atv.type}=${value}`;
    })
    .sort()
    .join('+');
}
