import type { Progress } from './progress.ts';

export type ServiceName = 'kafka' | 'registry' | 'milvus';
export const serviceNames: readonly ServiceName[] = ['kafka', 'registry', 'milvus'];

/** A port the service binds, with the flag and variable that move it (for the "port taken" error). */
export interface BoundPort {
  readonly port: number;
  readonly flag: string;
  readonly env: string;
}

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** One process of the local stack: how to fetch it, start it and tell that it answers. */
export interface StackService {
  readonly name: ServiceName;
  /** What it is, for status and the README. */
  readonly title: string;
  readonly ports: readonly BoundPort[];
  /** The service's state folder; present in its command line, so it marks the pid as ours. */
  readonly stateDir: string;
  readonly logPath: string;
  /** Fetches into the cache (idempotent; prints progress). */
  prepare(progress: Progress): Promise<void>;
  /** Writes config and formats storage as needed; returns the command to run. */
  launchSpec(progress: Progress): Promise<LaunchSpec>;
  /** True when the service answers a real client request. */
  probe(): Promise<boolean>;
  /** Work after the first successful probe (e.g. creating Kafka's internal topics). */
  warmUp?(progress: Progress): Promise<void>;
  /** Seconds to wait after SIGTERM before SIGKILL. */
  readonly stopGraceSeconds: number;
}
