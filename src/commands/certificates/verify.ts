import { CertificateError, UsageError } from '../../errors.js';
import { admitClient, describeCertificate, preparePolicy, type AdmissionProblem } from '../../pki/admission.js';
import type { BundleCertificate } from '../../pki/bundle.js';
import { factsOf, oneLine } from '../../pki/certificate-facts.js';
import { parseFiltersJson, type CertificateFilter } from '../../pki/filters.js';
import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentBundle } from '../namespace/ca-bundle.js';
import { currentFilters } from '../namespace/filters.js';
import { readCertificateFile } from './read-certificates.js';
import type { Verdict } from '../verdict.js';

export interface VerifyCertificateOptions extends ConnectionFlags {
  /** The client certificate (PEM or DER); intermediates the client sends may follow it in the file. */
  cert: string;
  /** The accepted CA bundle, from a file. Exactly one of caBundle and namespace. */
  caBundle?: string;
  /** Certificate filters JSON (`{"filters":[…]}`), only with caBundle. Default: no filters. */
  certificateFilterFile?: string;
  /** Fetch the bundle and filters of this namespace through the Cloud Ops API. */
  namespace?: string;
  /** text (default) or json. */
  output?: 'text' | 'json';
}

/** What --output json prints: a stable interface (README, "cert verify --output json"). */
export interface VerifyResult {
  accepted: boolean;
  /**
   * Every reason for refusal (empty when accepted): `code` is stable, for scripts to switch on
   * (`expired`, `untrusted-issuer`, ...: AdmissionCode); `message` is one line for people and may change.
   */
  reasons: AdmissionProblem[];
  /** Subjects from the certificate to the bundle's CA, when a chain was found. */
  path: string[];
}

/**
 * `tcld cert verify`: whether Temporal Cloud would admit this client certificate, by the rules the
 * emulator's gateway applies (pki/admission.ts), listing every reason when it would not. Exit 0 only
 * when accepted. gRPC loads only with --namespace.
 */
export async function run(options: VerifyCertificateOptions, deps: Deps): Promise<Verdict> {
  const output = options.output ?? 'text';
  if (options.caBundle && options.namespace) throw new UsageError('give the accepted CAs with --ca-bundle or --namespace, not both');
  if (!options.caBundle && !options.namespace) {
    throw new UsageError("give the accepted CAs: --ca-bundle <bundle.pem>, or --namespace <ns> to use the namespace's bundle and filters");
  }
  if (options.certificateFilterFile && !options.caBundle) {
    throw new UsageError("--certificate-filter-file goes with --ca-bundle; with --namespace the namespace's own filters apply");
  }

  const chain = await readCertificateFile(options.cert, deps, { what: 'client certificate file', lazy: true });
  const { bundle, filters, against } = options.caBundle
    ? await fromFiles(options.caBundle, options.certificateFilterFile, deps)
    : await fromNamespace(options.namespace!, options, deps);

  const now = deps.now();
  const result = admitClient(chain.map((c) => c.x509), preparePolicy({ bundle, filters }), now);
  const path = (result.path ?? []).map((x509) => oneLine(factsOf(x509).parsed.subject));
  if (output === 'json') {
    const reasons = result.problems.map(({ code, message }) => ({ code, message }));
    return { ok: result.accepted, lines: [], json: { accepted: result.accepted, reasons, path } satisfies VerifyResult };
  }

  const leaf = describeCertificate(chain[0]!.x509);
  if (result.accepted) {
    return { ok: true, lines: [`accepted: ${leaf}`, `by ${against}, through ${path.join(' → ')}`] };
  }
  const count = result.reasons.length === 1 ? '1 reason' : `${result.reasons.length} reasons`;
  return { ok: false, lines: [`refused by ${against} (${count}): ${leaf}`, ...result.reasons.map((reason) => `  - ${reason}`)] };
}

interface Policy {
  bundle: BundleCertificate[];
  filters: CertificateFilter[];
  /** Says what the certificate was checked against: `the CAs in ca.pem with 2 certificate filters`. */
  against: string;
}

async function fromFiles(caBundle: string, filterFile: string | undefined, deps: Deps): Promise<Policy> {
  const bundle = await readCertificateFile(caBundle, deps, { what: 'CA bundle file', lazy: true });
  let filters: CertificateFilter[] = [];
  if (filterFile) {
    const text = await deps.files.readText(filterFile, 'certificate filter file');
    try {
      filters = parseFiltersJson(text);
    } catch (error) {
      throw new CertificateError(`certificate filter file ${filterFile}: ${(error as Error).message}`);
    }
  }
  return { bundle, filters, against: `the CAs in ${caBundle}${describeFilters(filters)}` };
}

async function fromNamespace(namespace: string, flags: ConnectionFlags, deps: Deps): Promise<Policy> {
  const current = await withCloud(flags, deps, (client) => client.getNamespace(namespace));
  const filters = currentFilters(current);
  return { bundle: currentBundle(current), filters, against: `namespace ${namespace}${describeFilters(filters)}` };
}

function describeFilters(filters: readonly CertificateFilter[]): string {
  if (filters.length === 0) return '';
  return filters.length === 1 ? ' and its certificate filter' : ` and its ${filters.length} certificate filters`;
}
