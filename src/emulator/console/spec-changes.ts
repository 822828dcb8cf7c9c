/**
 * What a console form asks for, as the namespace spec to send: the current spec with CAs added or one
 * removed, or with new certificate filters. Pure. Only what a page must settle before there is a spec
 * is refused here (no PEM, a CA already there, filters that are not JSON); Temporal Cloud's rules for
 * the result are the service's to apply, so the page shows its words.
 */
import type { INamespaceSpec } from '../../cloud/proto.js';
import { errorKind } from '../../errors.js';
import { addToBundle, formatBundle, normalizeFingerprint, type BundleCertificate } from '../../pki/bundle.js';
import { parseBundleOnce } from '../certificate-memo.js';
import { filterSpecOf, parseFiltersJson } from '../../pki/filters.js';

export type SpecChangeCode =
  /** The form held no certificate. */
  | 'no-certificate'
  /** The text is not PEM certificates (or a certificate in it does not parse). */
  | 'unreadable-pem'
  /** A certificate given is in the bundle already. */
  | 'already-present'
  /** The fingerprint to remove is not in the bundle. */
  | 'not-present'
  /** Removing it would leave no CA while mTLS is the namespace's auth method. */
  | 'last-ca'
  /** The filters are not tcld's filter JSON. */
  | 'unreadable-filters';

export type SpecChange = { ok: true; spec: INamespaceSpec } | { ok: false; code: SpecChangeCode; message: string };

/** The namespace's accepted client CAs (the bytes field, or the deprecated base64 string older namespaces have). */
export function bundleOf(spec: INamespaceSpec): BundleCertificate[] {
  const mtls = spec.mtlsAuth;
  if (mtls?.acceptedClientCa && mtls.acceptedClientCa.length > 0) return parseBundleOnce(Uint8Array.from(mtls.acceptedClientCa));
  return parseBundleOnce(Buffer.from(mtls?.acceptedClientCaDeprecated ?? '', 'base64'));
}

/** The spec with the certificates of `pem` added to the bundle (as `tcld n ca a`: none that is already there). */
export function specWithAddedCas(spec: INamespaceSpec, pem: string): SpecChange {
  let added: BundleCertificate[];
  try {
    added = parseBundleOnce(pem, { name: 'the PEM' });
  } catch (error) {
    if (errorKind(error) === undefined) throw error;
    return { ok: false, code: 'unreadable-pem', message: (error as Error).message };
  }
  if (added.length === 0) return { ok: false, code: 'no-certificate', message: 'no certificate given: paste or upload PEM (-----BEGIN CERTIFICATE-----)' };
  let result;
  try {
    result = addToBundle(bundleOf(spec), added);
  } catch (error) {
    // The same certificate twice in what was pasted.
    if (errorKind(error) === undefined) throw error;
    return { ok: false, code: 'unreadable-pem', message: (error as Error).message };
  }
  if (!result.changed) return { ok: false, code: 'already-present', message: result.reason };
  return { ok: true, spec: withBundle(spec, result.certificates) };
}

/** The spec without the CA of `fingerprint` (SHA-1, as `tcld n ca l` lists it). */
export function specWithoutCa(spec: INamespaceSpec, fingerprint: string): SpecChange {
  const current = bundleOf(spec);
  const wanted = normalizeFingerprint(fingerprint);
  const remaining = current.filter((c) => c.fingerprint !== wanted);
  if (remaining.length === current.length) return { ok: false, code: 'not-present', message: `no CA with fingerprint ${fingerprint.slice(0, 64)} in the bundle: it may have been removed already` };
  if (remaining.length === 0 && spec.mtlsAuth?.enabled) {
    return { ok: false, code: 'last-ca', message: 'that would leave the namespace with no accepted CA while mTLS is its auth method: add the new CA first' };
  }
  return { ok: true, spec: withBundle(spec, remaining) };
}

/** The spec with the filters of `json` (tcld's format, `{"filters": [...]}`; empty text: no filters). */
export function specWithFilters(spec: INamespaceSpec, json: string): SpecChange {
  let filters;
  try {
    filters = parseFiltersJson(json);
  } catch (error) {
    if (errorKind(error) === undefined) throw error;
    return { ok: false, code: 'unreadable-filters', message: (error as Error).message };
  }
  return { ok: true, spec: { ...spec, mtlsAuth: { ...spec.mtlsAuth, certificateFilters: filters.map(filterSpecOf) } } };
}

function withBundle(spec: INamespaceSpec, certificates: readonly BundleCertificate[]): INamespaceSpec {
  return { ...spec, mtlsAuth: { ...spec.mtlsAuth, acceptedClientCa: Buffer.from(formatBundle(certificates)), acceptedClientCaDeprecated: '' } };
}
