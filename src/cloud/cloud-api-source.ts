/**
 * Where the client's Cloud Ops API descriptor and protobufjs come from. Run from source (the tests),
 * the descriptor is derived on first use from the installed @temporalio/proto, which costs what the
 * compact descriptor saves; scripts/build.mjs replaces this module with the descriptor derived at
 * build time (and, in the CLI, with protobufjs bundled), so that the built client never loads the
 * whole package.
 */
import { createRequire } from 'node:module';
import { deriveCloudApi, type DescriptorJson, type ReflectedRoot } from './derive-cloud-api.js';

/** The compact descriptor: `methods` of `service` and the types they reach (see derive-cloud-api.ts). */
export function cloudApiDescriptor(service: string, methods: readonly string[]): DescriptorJson {
  return deriveCloudApi(require('@temporalio/proto') as ReflectedRoot, service, methods);
}

/** protobufjs/light, the copy @temporalio/proto depends on, so that both encode alike. */
export function protobufLight(): unknown {
  return createRequire(require.resolve('@temporalio/proto'))('protobufjs/light');
}
