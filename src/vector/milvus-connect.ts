/**
 * The SDK starts connecting in its constructor and keeps that promise; when the server is not up
 * yet it rejects before any call awaits it, which Node treats as an unhandled rejection and
 * exits. The calls that follow await the same promise and report the failure themselves.
 */
export function ignoreConnectFailure(client: object): void {
  (client as { connectPromise?: Promise<unknown> }).connectPromise?.catch(() => undefined);
}
