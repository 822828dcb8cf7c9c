/**
 * Who the account metrics endpoint admits: clients whose chain leads to a CA of the account's metrics
 * bundle (no filters: the account's bundle has none), read from the store once per resource version
 * and forgotten as soon as the account changes. An empty bundle admits nobody: the endpoint is off.
 */
import type { X509Certificate } from 'node:crypto';
import { admitClient, type PreparedPolicy } from '../../pki/admission.js';
import { openBundle } from '../gateway/policies.js';
import type { ClientTrust } from '../gateway/server-identities.js';
import { decodeAccountSpec, metricsBundleOf } from './account-spec.js';
import type { AccountStore } from './account-store.js';

export type MetricsPolicy =
  | { kind: 'closed'; version: string; reason: string }
  | { kind: 'open'; version: string; prepared: PreparedPolicy; cas: string[] };

export type MetricsJudgement = { admitted: true } | { admitted: false; reasons: string[] };

export interface MetricsPolicyCache {
  policy(): MetricsPolicy;
  /** The trust anchors OpenSSL validates client chains against (none while closed). */
  trust(policy: MetricsPolicy): ClientTrust | undefined;
  /** admitClient's verdict on a chain under `policy`. */
  judge(policy: MetricsPolicy, chain: readonly X509Certificate[] | undefined, now: Date): MetricsJudgement;
  close(): void;
}

export function createMetricsPolicyCache(accounts: AccountStore, account: string, onChange: () => void): MetricsPolicyCache {
  let cached: MetricsPolicy | undefined;
  const unsubscribe = accounts.onAccountChange((id) => {
    if (id !== account) return;
    cached = undefined;
    onChange();
  });
  return {
    policy: () => (cached ??= policyOf(accounts, account)),
    trust: (policy) => (policy.kind === 'open' ? { version: policy.version, cas: policy.cas } : undefined),
    judge(policy, chain, now) {
      if (policy.kind === 'closed') return { admitted: false, reasons: [policy.reason] };
      if (!chain) return { admitted: false, reasons: ["no client certificate: the account metrics endpoint requires one issued by a CA of the account's metrics CA bundle"] };
      const { problems } = admitClient(chain, policy.prepared, now);
      return problems.length === 0 ? { admitted: true } : { admitted: false, reasons: problems.map((p) => p.message) };
    },
    close: unsubscribe,
  };
}

function policyOf(accounts: AccountStore, account: string): MetricsPolicy {
  const row = accounts.account(account);
  if (!row) return { kind: 'closed', version: '', reason: `account ${account} does not exist` };
  const pem = metricsBundleOf(decodeAccountSpec(row.spec));
  const off = `the account metrics endpoint is off: account ${account} has no metrics CA (add one: tcld account metrics accepted-client-ca add)`;
  const opened = pem.length === 0 ? ({ kind: 'empty' } as const) : openBundle(pem, []);
  if (opened.kind === 'empty') return { kind: 'closed', version: row.resourceVersion, reason: off };
  if (opened.kind === 'unusable') return { kind: 'closed', version: row.resourceVersion, reason: `the account's metrics CA bundle is unusable: ${opened.message}` };
  return { ...opened, version: row.resourceVersion };
}
