import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:`port` (we could bind it ourselves). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Polls `probe` until it returns true, `alive` turns false (the process died: stop early), or
 * `timeoutMs` passes. Returns whether the probe succeeded.
 */
export async function waitUntil(probe: () => Promise<boolean>, options: { timeoutMs: number; alive?: () => boolean; intervalMs?: number }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.alive && !options.alive()) return false;
    if (await probe().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
  return false;
}
