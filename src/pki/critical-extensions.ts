/**
 * RFC 5280 4.2: a certificate with a critical extension the verifier does not recognise MUST be
 * rejected. "Recognised" is the list OpenSSL 3's X509_supported_extension keeps, so that `tcld cert
 * verify` refuses exactly what the gateway's OpenSSL refuses. Several of these (policies, RFC 3779)
 * are recognised but not enforced by OpenSSL's default verification, nor here.
 */
const RECOGNISED: ReadonlyMap<string, string> = new Map([
  ['2.16.840.1.113730.1.1', 'netscapeCertType'],
  ['2.5.29.15', 'keyUsage'],
  ['2.5.29.17', 'subjectAltName'],
  ['2.5.29.19', 'basicConstraints'],
  ['2.5.29.32', 'certificatePolicies'],
  ['2.5.29.31', 'cRLDistributionPoints'],
  ['2.5.29.37', 'extKeyUsage'],
  ['1.3.6.1.5.5.7.1.7', 'sbgp-ipAddrBlock'],
  ['1.3.6.1.5.5.7.1.8', 'sbgp-autonomousSysNum'],
  ['1.3.6.1.5.5.7.48.1.5', 'ocspNoCheck'],
  ['2.5.29.36', 'policyConstraints'],
  ['1.3.6.1.5.5.7.1.14', 'proxyCertInfo'],
  ['2.5.29.30', 'nameConstraints'],
  ['2.5.29.33', 'policyMappings'],
  ['2.5.29.54', 'inhibitAnyPolicy'],
]);

/** Names an extension a reader may know even when it is not recognised here. */
const KNOWN_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.29.14', 'subjectKeyIdentifier'],
  ['2.5.29.35', 'authorityKeyIdentifier'],
  ['1.3.6.1.5.5.7.1.1', 'authorityInfoAccess'],
  ['1.3.6.1.5.5.7.1.24', 'tlsFeature'],
]);

/** The critical extensions among `oids` that are not recognised, each as `name (oid)` or the bare OID. */
export function unrecognisedCritical(oids: readonly string[]): string[] {
  return oids.filter((oid) => !RECOGNISED.has(oid)).map((oid) => (KNOWN_NAMES.has(oid) ? `${KNOWN_NAMES.get(oid)} (${oid})` : oid));
}
