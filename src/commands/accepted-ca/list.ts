import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { describe } from '../namespace/ca-bundle.js';
import { printJson, TCLD_OBJECT_INDENT, type Printable } from '../output-format.js';
import type { BundleTarget } from './target.js';

export interface ListCertificatesOptions extends ConnectionFlags {
  /** json (default), tcld's list; table. */
  output?: 'json' | 'table';
}

/** One CA as `ca l` prints it: tcld's fields, plus daysUntilExpiry. */
export interface CaListEntry {
  fingerprint: string;
  issuer: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  base64EncodedData: string;
  daysUntilExpiry: number;
}

/** A CA expiring within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** `accepted-client-ca list`: the target's accepted CA certificates, with warnings for those near or past expiry. */
export async function listCertificates<R, S>(target: BundleTarget<R, S>, options: ListCertificatesOptions, deps: Deps): Promise<Printable> {
  const output = options.output ?? 'json';
  const current = await withCloud(options, deps, (client) => target.read(client));
  const now = deps.now();
  const warnings: string[] = [];
  const certificates: CaListEntry[] = target.bundleOf(current).map((c) => {
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
  if (output === 'json') return printJson(certificates, TCLD_OBJECT_INDENT, warnings);
  const rows = certificates.map((c) => [c.fingerprint, c.subject, c.notAfter, String(c.daysUntilExpiry)]);
  return { format: 'table', header: ['FINGERPRINT', 'SUBJECT', 'NOT AFTER', 'DAYS LEFT'], rows, notes: warnings };
}
