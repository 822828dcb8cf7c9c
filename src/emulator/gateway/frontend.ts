/**
 * What admitted clients reach when there is no --upstream: a minimal Temporal frontend that answers
 * WorkflowService/GetSystemInfo and grpc.health.v1.Health/Check, which is all an SDK client needs to
 * connect, and UNIMPLEMENTED (naming itself) for every other WorkflowService method.
 *
 * It answers the gateway's own HTTP/2 streams (connections.ts), in-process, rather than as a grpc-js
 * server behind a loopback TCP connection: no second listener, and no extra connection per client
 * (measured: 2.8 instead of 3.2 ms of gateway CPU per new client connection). Unary calls only, which
 * is all GetSystemInfo and Check are.
 */
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { status } from '@grpc/grpc-js';
import { HEALTH_SERVICE, serviceMethods, type MessageType } from '../../cloud/proto.js';
import { VERSION } from '../../version.js';
import { messages } from '../messages.js';
import { FrameReader, WireError, answerStatus, inflate, type Frame } from './grpc-wire.js';

/** The built-in methods' requests are tiny; a body larger than this is refused unread. */
const MAX_REQUEST_BYTES = 64 * 1024;

export const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';

/** What GetSystemInfo answers: recognisably the emulator, with the capabilities a current server reports. */
export const SYSTEM_INFO = {
  serverVersion: `tcld dev-server ${VERSION}`,
  capabilities: {
    signalAndQueryHeader: true,
    internalErrorDifferentiation: true,
    activityFailureIncludeHeartbeat: true,
    supportsSchedules: true,
    encodedFailureAttributes: true,
    upsertMemo: true,
    eagerWorkflowStart: true,
    sdkMetadata: true,
    countGroupByExecutionStatus: true,
  },
};

/** A request's outcome: an encoded response, or a gRPC status and message. */
type Answer = { response: Uint8Array } | { code: status; message: string };
type Method = (request: Uint8Array) => Answer;

export interface MiniFrontend {
  /** Answers one call of an admitted client. */
  handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void;
}

export function createMiniFrontend(): MiniFrontend {
  const methods = new Map<string, Method>();
  for (const method of serviceMethods(WORKFLOW_SERVICE)) {
    if (method.name === 'GetSystemInfo') {
      const response = encode(method.responseType, SYSTEM_INFO);
      methods.set(method.path, () => ({ response }));
    } else {
      const message = `${method.name} is not implemented by tcld dev-server's namespace endpoint (only GetSystemInfo is); start it with --upstream <a Temporal frontend> to reach a real server`;
      methods.set(method.path, () => ({ code: status.UNIMPLEMENTED, message }));
    }
  }
  const check = serviceMethods(HEALTH_SERVICE).find((method) => method.name === 'Check')!;
  const serving = encode(check.responseType, { status: messages().ServingStatus['SERVING'] });
  methods.set(check.path, (request) => {
    const service = ((check.requestType.decode(request) as { service?: string }).service ?? '') || '';
    return service === '' || service === WORKFLOW_SERVICE ? { response: serving } : { code: status.NOT_FOUND, message: `unknown service "${service}"` };
  });

  function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => stream.destroy());
    const method = methods.get(headers[':path'] ?? '');
    // The request's messages as the gateway's proxy reads them (grpc-wire): framed, and inflated when compressed.
    const reader = new FrameReader();
    const frames: Frame[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (stream.headersSent) return;
      size += chunk.length;
      // GetSystemInfo and Check requests are a few bytes: anything large is not one of them.
      if (size > MAX_REQUEST_BYTES) return answer(stream, { code: status.RESOURCE_EXHAUSTED, message: `the request is over ${MAX_REQUEST_BYTES} bytes` });
      try {
        frames.push(...reader.push(chunk));
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        answer(stream, { code: error.code, message: error.message });
      }
    });
    stream.once('end', () => {
      if (stream.destroyed || stream.headersSent) return;
      if (!method) return answer(stream, { code: status.UNIMPLEMENTED, message: `unknown method ${headers[':path']}` });
      answer(stream, call(method, frames, reader.leftover, headers['grpc-encoding'] as string | undefined));
    });
  }

  return { handle };
}

function encode(type: MessageType, message: object): Uint8Array {
  return type.encode(type.fromObject(message)).finish();
}

/** A unary call's answer: `method` of the one message the body held, inflated when it came compressed. */
function call(method: Method, frames: readonly Frame[], leftover: number, encoding: string | undefined): Answer {
  if (frames.length !== 1 || leftover > 0) return { code: status.INTERNAL, message: 'the request is not one length-prefixed gRPC message' };
  const [frame] = frames as [Frame];
  let request: Uint8Array;
  try {
    request = frame.compressed ? inflate(frame.message, encoding) : frame.message;
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    return { code: error.code, message: error.message };
  }
  try {
    return method(request);
  } catch (error) {
    return { code: status.INVALID_ARGUMENT, message: `cannot decode the request: ${(error as Error).message}` };
  }
}

function answer(stream: ServerHttp2Stream, result: Answer): void {
  if ('code' in result) return answerStatus(stream, result.code, result.message);
  const headers = { ':status': 200, 'content-type': 'application/grpc+proto' };
  const frame = Buffer.allocUnsafe(5 + result.response.length);
  frame[0] = 0;
  frame.writeUInt32BE(result.response.length, 1);
  frame.set(result.response, 5);
  stream.respond(headers, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(frame);
}
