/**
 * What admitted clients reach when there is no --upstream: a minimal Temporal frontend that answers
 * WorkflowService/GetSystemInfo and grpc.health.v1.Health/Check, which is all an SDK client needs to
 * connect, and UNIMPLEMENTED (naming itself) for every other WorkflowService method.
 *
 * It serves gRPC on node:http2 directly over the admitted TLS socket, in-process, rather than as a
 * grpc-js server behind a loopback TCP connection: no second listener, and no extra connection per
 * client (measured: 2.8 instead of 3.2 ms of gateway CPU per new client connection). Unary calls
 * only, which is all GetSystemInfo and Check are.
 */
import { createServer as createHttp2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';
import { status } from '@grpc/grpc-js';
import { HEALTH_SERVICE, serviceMethods, type MessageType } from '../../cloud/proto.js';
import { VERSION } from '../../version.js';
import { messages } from '../messages.js';

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
  /** Serves gRPC over an admitted client's decrypted stream (HTTP/2, prior knowledge). */
  serve(socket: Duplex): void;
  /** Ends every session. */
  close(): void;
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

  const sessions = new Set<Http2Session>();
  const server = createHttp2Server();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', () => session.destroy());
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    stream.on('error', () => stream.destroy());
    const method = methods.get(headers[':path'] ?? '');
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => {
      if (stream.destroyed) return;
      if (!method) return answer(stream, { code: status.UNIMPLEMENTED, message: `unknown method ${headers[':path']}` });
      const request = unframe(Buffer.concat(chunks));
      let result: Answer;
      try {
        result = request ? method(request) : { code: status.INTERNAL, message: 'the request is not one length-prefixed gRPC message' };
      } catch (error) {
        result = { code: status.INVALID_ARGUMENT, message: `cannot decode the request: ${(error as Error).message}` };
      }
      answer(stream, result);
    });
  });

  return {
    serve: (socket) => server.emit('connection', socket),
    close() {
      for (const session of sessions) session.destroy();
      sessions.clear();
    },
  };
}

function encode(type: MessageType, message: object): Uint8Array {
  return type.encode(type.fromObject(message)).finish();
}

/** The message of a unary request body: a 5-byte prefix (compressed flag 0, big-endian length), then the message. */
function unframe(body: Buffer): Uint8Array | undefined {
  if (body.length < 5 || body[0] !== 0) return undefined;
  const length = body.readUInt32BE(1);
  return body.length === 5 + length ? body.subarray(5) : undefined;
}

function answer(stream: ServerHttp2Stream, result: Answer): void {
  const headers = { ':status': 200, 'content-type': 'application/grpc+proto' };
  if ('code' in result) {
    // A trailers-only response: the status rides on the headers.
    stream.respond({ ...headers, 'grpc-status': String(result.code), 'grpc-message': encodeURIComponent(result.message) }, { endStream: true });
    return;
  }
  const frame = Buffer.allocUnsafe(5 + result.response.length);
  frame[0] = 0;
  frame.writeUInt32BE(result.response.length, 1);
  frame.set(result.response, 5);
  stream.respond(headers, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(frame);
}
