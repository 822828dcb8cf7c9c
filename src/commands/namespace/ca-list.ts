import { UsageError } from '../../errors.js';
import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentBundle, describe } from './ca-bundle.js';

export interface CaListOptions extends NamespaceFlags {
  output?: string;
}

/** One CA as `tcld n ca l` prints it: tcld's fields, plus daysUntilExpiry. */
export interface CaListEntry {
  fingerprint: string;
  issuer: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  base64EncodedData: string;
  daysUntilExpiry: number;
}

export interface CaListResult {
  certificates: CaListEntry[];
  warnings: string[];
  output: 'json' | 'table';
}

/** A CA expiring within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** `tcld n ca l`: the namespace's accepted CA certificates, with warnings for those near or past expiry. */
export async function run(options: CaListOptions, deps: Deps): Promise<CaListResult> {
  const namespace = requireNamespace(options.namespace);
  if (options.output && !['json', 'table'].includes(options.output)) {
    throw new UsageError(`--output must be json or table, not ${options.output}`);
  }
  const output = options.output === 'table' ? 'table' : 'json';
  const current = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  const now = deps.now();
  const warnings: string[] = [];
  const certificates = currentBundle(current).map((c) => {
    const daysUntilExpiry = Math.floor((c.notAfter.getTime() - now.getTime()) / DAY_MS);
    if (c.notAfter <= now) warnings.push(`warning: CA ${describe(c)} expired on ${c.notAfter.toISOString()}`);
    else if (daysUntilExpiry < EXPIRY_WARNING_DAYS) warnings.push(`warning: CA ${describe(c)} expires in ${daysUntilExpiry} days, on ${c.notAfter.toISOString()}`);
    return {
      fingerprint: c.fingerprint,
      issuer: c.issuer,
      subject: c.subject,
      notBefore: c.notBefore.toISOString().replace('.000Z', 'Z'),
      notAfter: c.notAfter.toISOString().replace('.000Z', 'Z'),
      base64EncodedData: Buffer.from(c.pem.trimEnd()).toString('base64'),
      daysUntilExpiry,
    };
  });
  return { certificates, warnings, output };
}
