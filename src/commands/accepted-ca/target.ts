/**
 * Whose accepted client CA bundle an accepted-client-ca command edits: a namespace's
 * (spec.mtls_auth.accepted_client_ca: who may connect to the namespace's endpoint) or the account's
 * (spec.metrics.accepted_client_ca: who may read the account's metrics endpoint). add.ts, remove.ts,
 * set.ts and list.ts are written once against a BundleTarget; each target says only how its bundle is
 * read from and put into its spec, and when it may not become empty.
 */
import type { CloudClient } from '../../cloud/client.js';
import { accountResource, namespaceResource } from '../../cloud/mutate.js';
import type { IAccount, IAccountSpec, INamespace, INamespaceSpec } from '../../cloud/proto.js';
import { formatBundle, type BundleCertificate } from '../../pki/bundle.js';
import { parseBundleLazily } from '../../pki/lazy-bundle.js';
import type { MutationSubject } from '../cloud-flags.js';
import { currentBundle, specWithBundle } from '../namespace/ca-bundle.js';

export interface BundleTarget<R, S> {
  /** For messages: `namespace myns.acct`, `the account's metrics endpoint`. */
  name: string;
  /** For messages about its CAs: `namespace myns.acct's bundle`. */
  bundleName: string;
  read(client: CloudClient): Promise<R>;
  /** How a mutation reads, writes and names it. */
  subject(client: CloudClient): MutationSubject<R, S>;
  bundleOf(current: R): BundleCertificate[];
  /** The resource's spec with this bundle in place of its current one (the API replaces the whole spec). */
  specWith(current: R, certificates: readonly BundleCertificate[]): S;
  /**
   * Why the bundle may not become empty now ('all': remove --all; 'last': a removal that takes the last
   * CA), or undefined when it may.
   */
  emptyRefusal(current: R, how: 'all' | 'last'): string | undefined;
  /** Said in the removal's question when the removal leaves no CA: what an empty bundle means. */
  emptyMeans: string;
  /** Why remove --all changes nothing when the bundle is empty. */
  alreadyEmpty: string;
}

export type NamespaceBundleTarget = BundleTarget<INamespace, INamespaceSpec>;
export type AccountBundleTarget = BundleTarget<IAccount, IAccountSpec>;

/** A namespace's accepted client CAs: the certificates its mTLS endpoint admits clients of. */
export function namespaceBundle(namespace: string): NamespaceBundleTarget {
  return {
    name: `namespace ${namespace}`,
    bundleName: `namespace ${namespace}'s bundle`,
    read: (client) => client.getNamespace(namespace),
    subject: (client) => ({
      resource: namespaceResource(client, namespace),
      requestResource: () => ({ resourceId: namespace, resourceType: 'namespace' }),
      label: () => `namespace ${namespace}`,
    }),
    bundleOf: currentBundle,
    specWith: specWithBundle,
    emptyRefusal(current, how) {
      if (!current.spec?.mtlsAuth?.enabled) return undefined;
      return how === 'all'
        ? `mTLS is namespace ${namespace}'s auth method, so removing every CA would lock out every client: add the new CA first, or use set`
        : `that would leave namespace ${namespace} with no accepted CA while mTLS is its auth method: add the new CA first`;
    },
    emptyMeans: 'no client can connect with a certificate',
    alreadyEmpty: 'the bundle is already empty',
  };
}

/**
 * The account's metrics endpoint's accepted client CAs. The Cloud Ops API has no switch for the
 * endpoint: it is on exactly while this bundle holds a CA, so emptying it turns the endpoint off.
 */
export const accountMetricsBundle: AccountBundleTarget = {
  name: "the account's metrics endpoint",
  bundleName: "the account's metrics CA bundle",
  read: (client) => client.getAccount(),
  subject: (client) => ({
    resource: accountResource(client),
    requestResource: (current) => ({ resourceId: String(current.id ?? ''), resourceType: 'account' }),
    label: (current) => `account ${String(current.id ?? '')}`,
  }),
  bundleOf: accountBundle,
  specWith(current, certificates) {
    const spec = current.spec ?? {};
    return { ...spec, metrics: { ...spec.metrics, acceptedClientCa: Buffer.from(formatBundle(certificates)) } };
  },
  emptyRefusal: () => undefined,
  emptyMeans: 'which turns the metrics endpoint off',
  alreadyEmpty: "the metrics endpoint is already disabled: the account's metrics CA bundle is empty",
};

/** The account's metrics CA bundle (PEM bytes in spec.metrics.accepted_client_ca), read lazily as a namespace's (currentBundle). */
export function accountBundle(account: IAccount): BundleCertificate[] {
  const pem = account.spec?.metrics?.acceptedClientCa;
  return pem && pem.length > 0 ? parseBundleLazily(Uint8Array.from(pem)) : [];
}
