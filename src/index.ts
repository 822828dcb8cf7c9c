/**
 * tcld as a library: Temporal Cloud's certificate profile without the command line.
 * Re-exports only; nothing runs at import.
 */
export { generateCertificateAuthority, type GenerateCertificateAuthorityOptions, type GeneratedCertificate } from './pki/ca.js';
export { generateEndEntityCertificate, type GenerateEndEntityCertificateOptions } from './pki/leaf.js';
export { loadCertificateAuthority, type CertificateAuthority, type LoadCertificateAuthorityOptions } from './pki/issuer.js';
export { parseDuration, formatDuration, DurationError } from './pki/duration.js';
export { organizationLabel } from './pki/names.js';
export type { KeyAlgorithm } from './pki/profile.js';
export type { RandomSource } from './pki/random.js';
export { UserError, UsageError, CertificateError } from './errors.js';
export {
  parseBundle,
  formatBundle,
  checkBundle,
  addToBundle,
  removeFromBundle,
  expiredCertificates,
  BUNDLE_MAX_CERTIFICATES,
  BUNDLE_MAX_BYTES,
  type BundleCertificate,
  type BundleCode,
  type BundleProblem,
} from './pki/bundle.js';
export {
  parseFiltersJson,
  formatFiltersJson,
  checkFilters,
  addFilters,
  filterMatches,
  FILTERS_MAX,
  type CertificateFilter,
  type FilterCode,
  type FilterProblem,
} from './pki/filters.js';
export { admitClient, preparePolicy, type AdmissionCode, type AdmissionPolicy, type AdmissionProblem, type AdmissionResult } from './pki/admission.js';
export { generateServerCertificate } from './pki/server-certificate.js';
export { connectCloud, type CloudClient, type CloudConnectionOptions } from './cloud/client.js';
export { mutateNamespace, type MutateNamespaceOptions, type SpecChange } from './cloud/mutate.js';
