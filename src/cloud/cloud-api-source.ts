/**
 * Where the client's Cloud Ops API descriptor, its generated code and protobufjs come from. Run from
 * source (the tests), the descriptor is derived on first use from the installed @temporalio/proto and
 * the code generated from it, which costs what they save; scripts/build.mjs replaces this module with
 * both made at build time (and, in the CLI, with protobufjs bundled), so that the built client neither
 * loads the whole package nor generates code.
 */
import { createRequire } from 'node:module';
import { deriveCloudApi, type DescriptorJson, type ReflectedRoot } from './derive-cloud-api.js';
import { generateCloudCode, type CloudCode, type CodeProtobuf } from './generate-cloud-code.js';

/** The compact descriptor: `methods` of `service` and the types they reach (see derive-cloud-api.ts). */
export function cloudApiDescriptor(service: string, methods: readonly string[]): DescriptorJson {
  return deriveCloudApi(require('@temporalio/proto') as ReflectedRoot, service, methods);
}

/** The generated code of the message types of `root`, the resolved reflection of the descriptor. */
export function cloudApiCode(root: object, protobuf: CodeProtobuf): CloudCode {
  return new Function(`return ${generateCloudCode(root, protobuf)}`)() as CloudCode;
}

/** protobufjs/light, the copy @temporalio/proto depends on, so that both encode alike. */
export function protobufLight(): unknown {
  return createRequire(require.resolve('@temporalio/proto'))('protobufjs/light');
}
