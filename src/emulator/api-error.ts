import { status } from '@grpc/grpc-js';

/** A gRPC status a handler answers with; the server sends `code` and `message` as they are. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new ApiError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new ApiError(status.NOT_FOUND, message);
export const failedPrecondition = (message: string) => new ApiError(status.FAILED_PRECONDITION, message);
export const alreadyExists = (message: string) => new ApiError(status.ALREADY_EXISTS, message);

/** An ID or name echoed in a message, cut short: a message stays one readable line whatever a client sent. */
export function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}
