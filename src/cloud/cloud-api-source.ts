/**
 * Where the client's static Cloud Ops API code and protobufjs come from. Run from source (the tests),
 * the code is made on first use: the compact descriptor derived from the installed @temporalio/proto,
 * its reflection built, and the code generated from it, which costs what it saves. scripts/build.mjs
 * replaces this module with the code made at build time (and, in the CLI, with protobufjs bundled),
 * so that the built client neither loads the whole package nor builds reflection nor generates code.
 */
import { createRequire } from 'node:module';
import { deriveCloudApi, type DescriptorJson, type ReflectedRoot } from './derive-cloud-api.js';
import { generateCloudCode, type CloudCode, type CodeProtobuf } from './generate-cloud-code.js';

/** The compact descriptor: `methods` of `service` and the types they reach (see derive-cloud-api.ts). */
export function cloudApiDescriptor(service: string, methods: readonly string[]): DescriptorJson {
  return deriveCloudApi(require('@temporalio/proto') as ReflectedRoot, service, methods);
}

/** The static code of `methods` of `service` and the types they reach (see generate-cloud-code.ts). */
export function cloudApiCode(service: string, methods: readonly string[]): CloudCode {
  const protobuf = protobufLight() as CodeProtobuf & { Root: { fromJSON(json: object): { resolveAll(): object } } };
  const root = protobuf.Root.fromJSON(cloudApiDescriptor(service, methods)).resolveAll();
  return new Function(`return ${generateCloudCode(root, protobuf, service)}`)() as CloudCode;
}

/** protobufjs/light, the copy @temporalio/proto depends on, so that both encode alike. */
export function protobufLight(): unknown {
  return protobufRequire()('protobufjs/light');
}

/** What the static code runs on: protobufjs/minimal's reader, writer and util, its Message class, and its wrapper of google.protobuf.Any. */
export function protobufRuntime(): unknown {
  const load = protobufRequire();
  return { ...(load('protobufjs/minimal') as object), Message: load('protobufjs/src/message'), wrappers: load('protobufjs/src/wrappers') };
}

function protobufRequire(): NodeRequire {
  return createRequire(require.resolve('@temporalio/proto'));
}
