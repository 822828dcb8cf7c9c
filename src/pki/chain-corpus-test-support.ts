/**
 * For tests: a corpus of client chains made with the openssl command (and re-signed with node:crypto
 * where openssl 3.0 cannot set a validity in the past), each with the verdict RFC 5280 path validation
 * gives it, so that admitClient, the gateway's TLS handshake and `openssl verify` can be compared case
 * by case. Keys are made in a temporary folder and never leave it.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Validity } from '@peculiar/asn1-x509';
import { toPem } from './pem.js';

export const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;

/** Extension profiles, one section each. */
/** openssl extension sections for leaves whose key usages tcld never writes, shared by the OpenSSL-made test chains. */
export const CLIENT_USAGE_PROFILES = `[no_key_usage]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
[key_encipherment_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
[server_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
[any_usage]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = anyExtendedKeyUsage
authorityKeyIdentifier = keyid
`;

const CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[root_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[root_nc]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:allowed.example.com
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[intermediate_open]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[nc_permitted]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;DNS:allowed.example.com, permitted;IP:10.0.0.0/255.0.0.0
[nc_excluded]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, excluded;DNS:evil.attacker.net
[nc_dirname]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;dirName:nc_dir
[nc_dir]
O = acme
[critical_intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical, DER:05:00
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:worker.acme.example
authorityKeyIdentifier = keyid
[client_allowed]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:worker.allowed.example.com
authorityKeyIdentifier = keyid
[client_evil]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:evil.attacker.net
authorityKeyIdentifier = keyid
[client_ip_in]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:allowed.example.com, IP:10.1.2.3
authorityKeyIdentifier = keyid
[client_ip_out]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:allowed.example.com, IP:192.168.1.1
authorityKeyIdentifier = keyid
[client_no_san]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
[client_critical_unknown]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical, DER:05:00
[client_noncritical_unknown]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = DER:05:00
${CLIENT_USAGE_PROFILES}`;

/** One chain to judge: the PEM files the client sends (leaf first) and the bundle's, with the verdict RFC 5280 gives. */
export interface CorpusCase {
  name: string;
  chain: string[];
  bundle: string[];
  accepted: boolean;
}

export interface Corpus {
  folder: string;
  cases: CorpusCase[];
  /** The PEM text of a file of the corpus. */
  read(file: string): string;
  /** `openssl verify -purpose sslclient -partial_chain` (the bundle's CAs are anchors), with -x509_strict or without. */
  opensslVerify(c: CorpusCase, strict: boolean): { ok: boolean; output: string };
  remove(): void;
}

const DAY_MS = 86_400_000;

export function buildCorpus(): Corpus {
  const folder = mkdtempSync(join(tmpdir(), 'tcld-corpus-'));
  writeFileSync(join(folder, 'openssl.cnf'), CONFIG);
  let serial = 0x2000;
  const openssl = (args: readonly string[]) => {
    const result = spawnSync('openssl', args, { cwd: folder, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  };
  const must = (args: readonly string[]) => {
    const { status, output } = openssl(args);
    if (status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${output}`);
  };
  const key = (name: string) => {
    if (!existsSync(join(folder, `${name}.key`))) must(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
  };
  const root = (name: string, subject: string, profile = 'root') => {
    key(name);
    must(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', '30', '-config', 'openssl.cnf', '-extensions', profile, '-out', `${name}.pem`]);
  };
  /** `name.pem` for the key `keyName.key` (default: its own), issued by `issuer`. */
  const issue = (name: string, issuer: string, subject: string, profile: string, keyName = name) => {
    key(keyName);
    must(['req', '-new', '-key', `${keyName}.key`, '-subj', subject, '-config', 'openssl.cnf', '-out', `${name}.csr`]);
    must(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(serial++), '-days', '30', '-extfile', 'openssl.cnf', '-extensions', profile, '-out', `${name}.pem`]);
    if (keyName !== name) writeFileSync(join(folder, `${name}.key`), readFileSync(join(folder, `${keyName}.key`)));
  };
  /** A copy of `name.pem` valid from `fromDays` to `toDays` (relative to now), signed again by `issuer`. */
  const shifted = (copy: string, name: string, issuer: string, fromDays: number, toDays: number) => {
    const certificate = AsnConvert.parse(new X509Certificate(readFileSync(join(folder, `${name}.pem`))).raw, Certificate);
    const now = Date.now();
    certificate.tbsCertificate.validity = new Validity({ notBefore: new Date(now + fromDays * DAY_MS), notAfter: new Date(now + toDays * DAY_MS) });
    const tbs = new Uint8Array(AsnConvert.serialize(certificate.tbsCertificate));
    certificate.signatureValue = sign('sha256', tbs, { key: createPrivateKey(readFileSync(join(folder, `${issuer}.key`))), dsaEncoding: 'der' }).buffer as ArrayBuffer;
    writeFileSync(join(folder, `${copy}.pem`), toPem('CERTIFICATE', new Uint8Array(AsnConvert.serialize(certificate))));
    writeFileSync(join(folder, `${copy}.key`), readFileSync(join(folder, `${name}.key`)));
  };

  root('root', '/O=acme/CN=acme root');
  issue('intermediate', 'root', '/O=acme/CN=acme intermediate', 'intermediate');
  for (const profile of ['client', 'no_key_usage', 'key_encipherment_only', 'server_only', 'any_usage', 'client_critical_unknown', 'client_noncritical_unknown']) {
    issue(profile, 'intermediate', `/O=acme/CN=${profile}`, profile);
  }
  root('other-root', '/O=other/CN=other root');
  issue('other-client', 'other-root', '/O=other/CN=worker', 'client');
  root('impostor-root', '/O=acme/CN=acme root');
  issue('impostor-client', 'impostor-root', '/O=acme/CN=impostor', 'client');

  // Name constraints, on a client-sent intermediate and on the bundle's own CA.
  issue('nc-permitted', 'root', '/O=acme/CN=nc permitted', 'nc_permitted');
  issue('nc-allowed', 'nc-permitted', '/O=acme/CN=allowed', 'client_allowed');
  issue('nc-evil', 'nc-permitted', '/O=acme/CN=evil', 'client_evil');
  issue('nc-ip-in', 'nc-permitted', '/O=acme/CN=ip in', 'client_ip_in');
  issue('nc-ip-out', 'nc-permitted', '/O=acme/CN=ip out', 'client_ip_out');
  issue('nc-cn-evil', 'nc-permitted', '/O=acme/CN=evil.attacker.net', 'client_no_san');
  issue('nc-excluded', 'root', '/O=acme/CN=nc excluded', 'nc_excluded');
  issue('nc-excluded-evil', 'nc-excluded', '/O=acme/CN=evil', 'client_evil');
  issue('nc-excluded-ok', 'nc-excluded', '/O=acme/CN=ok', 'client');
  issue('nc-dirname', 'root', '/O=acme/CN=nc dirname', 'nc_dirname');
  issue('nc-dirname-in', 'nc-dirname', '/O=acme/CN=in', 'client');
  issue('nc-dirname-out', 'nc-dirname', '/O=other/CN=out', 'client');
  root('nc-root', '/O=acme/CN=nc root', 'root_nc');
  issue('nc-root-intermediate', 'nc-root', '/O=acme/CN=nc root intermediate', 'intermediate');
  issue('nc-root-evil', 'nc-root-intermediate', '/O=acme/CN=evil', 'client_evil');
  issue('nc-root-allowed', 'nc-root-intermediate', '/O=acme/CN=allowed', 'client_allowed');

  // A critical extension nobody recognises, on an intermediate.
  issue('critical-intermediate', 'root', '/O=acme/CN=critical intermediate', 'critical_intermediate');
  issue('critical-intermediate-client', 'critical-intermediate', '/O=acme/CN=below critical', 'client');

  // Path length: a root that allows no intermediate; an intermediate (pathlen:0) above another.
  root('pathlen0-root', '/O=acme/CN=pathlen0 root', 'root_pathlen0');
  issue('pathlen0-intermediate', 'pathlen0-root', '/O=acme/CN=pathlen0 intermediate', 'intermediate');
  issue('pathlen0-client', 'pathlen0-intermediate', '/O=acme/CN=pathlen0 client', 'client');
  issue('second-intermediate', 'intermediate', '/O=acme/CN=second intermediate', 'intermediate_open');
  issue('second-client', 'second-intermediate', '/O=acme/CN=second client', 'client');
  root('open-root', '/O=acme/CN=open root');
  issue('open-intermediate', 'open-root', '/O=acme/CN=open intermediate', 'intermediate_open');
  issue('open-second', 'open-intermediate', '/O=acme/CN=open second', 'intermediate_open');
  issue('open-client', 'open-second', '/O=acme/CN=open client', 'client');

  // Validity along the chain.
  shifted('expired-intermediate', 'intermediate', 'root', -20, -1);
  shifted('future-intermediate', 'intermediate', 'root', 2, 20);
  root('expired-root-source', '/O=acme/CN=expired root');
  shifted('expired-root', 'expired-root-source', 'expired-root-source', -20, -1);
  issue('expired-root-client', 'expired-root-source', '/O=acme/CN=under expired root', 'client');

  // Cross-signing: one intermediate key and name, issued by two roots; a root cross-signed by another.
  root('cross-a', '/O=acme/CN=cross root a');
  root('cross-b', '/O=acme/CN=cross root b');
  issue('cross-by-a', 'cross-a', '/O=acme/CN=cross intermediate', 'intermediate', 'cross-intermediate');
  issue('cross-by-b', 'cross-b', '/O=acme/CN=cross intermediate', 'intermediate', 'cross-intermediate');
  issue('cross-client', 'cross-by-a', '/O=acme/CN=cross client', 'client');
  issue('cross-b-by-a', 'cross-a', '/O=acme/CN=cross root b', 'intermediate_open', 'cross-b');
  issue('cross-b-intermediate', 'cross-b', '/O=acme/CN=below cross root b', 'intermediate');
  issue('cross-b-client', 'cross-b-intermediate', '/O=acme/CN=cross b client', 'client');

  const c = (name: string, chain: string[], bundle: string[], accepted: boolean): CorpusCase => ({
    name,
    chain: chain.map((f) => `${f}.pem`),
    bundle: bundle.map((f) => `${f}.pem`),
    accepted,
  });
  const cases = [
    c('a leaf with the intermediate it sends', ['client', 'intermediate'], ['root'], true),
    c('a leaf whose intermediate is in the bundle', ['client'], ['root', 'intermediate'], true),
    c('a leaf of a bundle intermediate (partial chain)', ['client'], ['intermediate'], true),
    c('a leaf without the intermediate it needs', ['client'], ['root'], false),
    c('a leaf without key usage', ['no_key_usage', 'intermediate'], ['root'], true),
    c('a leaf whose key usage is keyEncipherment only', ['key_encipherment_only', 'intermediate'], ['root'], false),
    c('a leaf for TLS servers only', ['server_only', 'intermediate'], ['root'], false),
    c('a leaf with anyExtendedKeyUsage only', ['any_usage', 'intermediate'], ['root'], false),
    c('a leaf of another root', ['other-client', 'other-root'], ['root'], false),
    c('a leaf of an impostor root with the bundle root name', ['impostor-client', 'impostor-root'], ['root'], false),
    c('a bundle CA presented as the client certificate', ['root'], ['root'], false),
    c('name constraints: a permitted DNS name', ['nc-allowed', 'nc-permitted'], ['root'], true),
    c('name constraints: a DNS name outside the permitted subtree', ['nc-evil', 'nc-permitted'], ['root'], false),
    c('name constraints: an IP address in the permitted range', ['nc-ip-in', 'nc-permitted'], ['root'], true),
    c('name constraints: an IP address outside the permitted range', ['nc-ip-out', 'nc-permitted'], ['root'], false),
    c('name constraints: a host-name CN outside the permitted subtree, no SAN', ['nc-cn-evil', 'nc-permitted'], ['root'], false),
    c('name constraints: an excluded DNS name', ['nc-excluded-evil', 'nc-excluded'], ['root'], false),
    c('name constraints: a DNS name outside the excluded subtree', ['nc-excluded-ok', 'nc-excluded'], ['root'], true),
    c('name constraints: a subject inside the permitted directoryName', ['nc-dirname-in', 'nc-dirname'], ['root'], true),
    c('name constraints: a subject outside the permitted directoryName', ['nc-dirname-out', 'nc-dirname'], ['root'], false),
    c("name constraints: the bundle CA's own, refusing", ['nc-root-evil', 'nc-root-intermediate'], ['nc-root'], false),
    c("name constraints: the bundle CA's own, permitting", ['nc-root-allowed', 'nc-root-intermediate'], ['nc-root'], true),
    c('a leaf with an unrecognised critical extension', ['client_critical_unknown', 'intermediate'], ['root'], false),
    c('a leaf with an unrecognised non-critical extension', ['client_noncritical_unknown', 'intermediate'], ['root'], true),
    c('an intermediate with an unrecognised critical extension', ['critical-intermediate-client', 'critical-intermediate'], ['root'], false),
    c('an intermediate under a root with pathlen:0', ['pathlen0-client', 'pathlen0-intermediate'], ['pathlen0-root'], false),
    c('two intermediates under an intermediate with pathlen:0', ['second-client', 'second-intermediate', 'intermediate'], ['root'], false),
    c('two intermediates without path length limits', ['open-client', 'open-second', 'open-intermediate'], ['open-root'], true),
    c('an expired intermediate', ['client', 'expired-intermediate'], ['root'], false),
    c('an intermediate not valid yet', ['client', 'future-intermediate'], ['root'], false),
    c('an expired bundle root', ['expired-root-client'], ['expired-root'], false),
    c('cross-signed: the intermediate as the bundle root issued it', ['cross-client', 'cross-by-a'], ['cross-a'], true),
    c('cross-signed: the intermediate as the other root issued it', ['cross-client', 'cross-by-b'], ['cross-a'], false),
    c('cross-signed: the other root in the bundle', ['cross-client', 'cross-by-b'], ['cross-b'], true),
    c('cross-signed: both intermediates sent, the matching one first', ['cross-client', 'cross-by-a', 'cross-by-b'], ['cross-a'], true),
    c('cross-signed root: through the cross certificate', ['cross-b-client', 'cross-b-intermediate', 'cross-b-by-a'], ['cross-a'], true),
    c('cross-signed root: the root itself in the bundle', ['cross-b-client', 'cross-b-intermediate', 'cross-b-by-a'], ['cross-b'], true),
  ];
  for (const one of cases) writeFileSync(join(folder, `bundle-${cases.indexOf(one)}.pem`), one.bundle.map((f) => readFileSync(join(folder, f), 'utf8')).join(''));

  return {
    folder,
    cases,
    read: (file) => readFileSync(join(folder, file), 'utf8'),
    opensslVerify(one, strict) {
      const index = cases.indexOf(one);
      const sent = one.chain.slice(1);
      if (sent.length > 0) writeFileSync(join(folder, `sent-${index}.pem`), sent.map((f) => readFileSync(join(folder, f), 'utf8')).join(''));
      const args = ['verify', ...(strict ? ['-x509_strict'] : []), '-purpose', 'sslclient', '-partial_chain', '-CAfile', `bundle-${index}.pem`];
      if (sent.length > 0) args.push('-untrusted', `sent-${index}.pem`);
      const result = openssl([...args, one.chain[0]!]);
      return { ok: result.status === 0, output: result.output };
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
