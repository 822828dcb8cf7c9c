/** The gateway cannot start: its CA files are unusable, or its upstream is not an address. */
export class GatewayError extends Error {
  override name = 'GatewayError';
}
