/**
 * The CloudService methods as typed handlers, as connect-es service implementations are: each method's
 * request and response types come from @temporalio/proto's generated declarations, keyed by method
 * name, so that a handler that reads a field its request does not have, or returns a shape its
 * response does not take, does not compile.
 */
import type * as Proto from '@temporalio/proto';
import { proto, type MessageType } from '../cloud/proto.js';
import type { Principal } from './identity/authority.js';

type CloudServiceV1 = typeof Proto.temporal.api.cloud.cloudservice.v1;
type CloudServiceClass = Proto.temporal.api.cloud.cloudservice.v1.CloudService;

/**
 * A CloudService method's name (`GetNamespace`): a method of the generated CloudService whose
 * `<Method>Request` and `<Method>Response` messages the package declares.
 */
export type CloudMethod = {
  [K in keyof CloudServiceV1]: K extends `${infer M}Request`
    ? `${M}Response` extends keyof CloudServiceV1
      ? Uncapitalize<M> extends keyof CloudServiceClass
        ? M
        : never
      : never
    : never;
}[keyof CloudServiceV1];

/** The properties a message class's `encode` takes: `I<Message>` (which adds nothing to them). */
type PropertiesOf<Message> = Message extends { encode(message: infer P, ...rest: never[]): unknown } ? P : never;

/**
 * `I<Method>Request`: all fields optional and nullable. protobufjs's decoder gives a message instance
 * whose unset scalars read as their defaults from its prototype (strings '', numbers 0), unset messages
 * as null, int64 as Long, bytes as Buffer, enums as numbers (unknown values too), maps as objects.
 */
export type CloudRequest<M extends CloudMethod> = PropertiesOf<CloudServiceV1[`${M}Request`]>;
/** `I<Method>Response`. */
export type CloudResponse<M extends CloudMethod> = PropertiesOf<CloudServiceV1[`${M}Response`]>;

declare const encodedResponse: unique symbol;

/**
 * A response already encoded as `M`'s response message, which the server sends as it is (GetNamespace
 * answers from a cache of these). Branded with its method, so that bytes of another message, or bare
 * bytes, are not taken for it.
 */
export type EncodedResponse<M extends CloudMethod> = Uint8Array & { readonly [encodedResponse]: M };

/** A method's handler: the decoded request and who calls (handlers that do not care ignore it), to a response, or a thrown ApiError. */
export type CloudHandler<M extends CloudMethod> = (request: CloudRequest<M>, principal: Principal) => CloudResponse<M> | EncodedResponse<M>;

/** The methods the emulator implements, each with its handler; the others answer UNIMPLEMENTED. */
export type CloudHandlers = { [M in CloudMethod]?: CloudHandler<M> };

/** `response` encoded as `M`'s response message: the only maker of an EncodedResponse. */
export function encodeResponse<M extends CloudMethod>(method: M, response: CloudResponse<M>): EncodedResponse<M> {
  const type: MessageType = proto().temporal.api.cloud.cloudservice.v1[`${method}Response`];
  // The brand says which message the bytes encode, which the line above decides.
  return type.encode(response).finish() as EncodedResponse<M>;
}
