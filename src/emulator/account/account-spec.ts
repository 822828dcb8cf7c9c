/**
 * The account's spec as the emulator keeps it: an AccountSpec whose only content is the metrics
 * endpoint's accepted client CA bundle, encoded canonically (no bundle: no metrics message at all), so
 * that two specs that mean the same have the same bytes and UpdateAccount can tell "nothing to change".
 */
import type { IAccountSpec } from '../../cloud/proto.js';
import { messages } from '../messages.js';

/** The canonical bytes of a spec: `metrics` only when it holds a bundle. */
export function canonicalAccountSpecBytes(spec: IAccountSpec): Uint8Array {
  const bundle = metricsBundleOf(spec);
  return messages().AccountSpec.encode(bundle.length > 0 ? { metrics: { acceptedClientCa: bundle } } : {}).finish();
}

/** A stored spec, decoded; a row that does not decode reads as no bundle (the API stores only what it encoded). */
export function decodeAccountSpec(bytes: Uint8Array): IAccountSpec {
  try {
    return messages().AccountSpec.decode(bytes);
  } catch {
    return {};
  }
}

/** The metrics CA bundle's PEM bytes (empty when there is none). protobufjs leaves an unset bytes field as an empty array. */
export function metricsBundleOf(spec: IAccountSpec): Uint8Array {
  const pem = spec.metrics?.acceptedClientCa;
  return pem && pem.length > 0 ? Uint8Array.from(pem) : new Uint8Array();
}
