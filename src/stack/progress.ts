/** Progress lines of `stack up`: one line per step, prefixed by the service, on stderr. */
export interface Progress {
  step(service: string, message: string): void;
}

export const consoleProgress: Progress = {
  step: (service, message) => process.stderr.write(`[${service}] ${message}\n`),
};

export const formatBytes = (n: number): string =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`;

export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
