import type { SchedulerLike } from 'rxjs';
import type { MethodConfig } from '../config/method-config.ts';
import type { StageConfig } from './stage-config.ts';
import type { Counters } from './counters.ts';

export interface PipelineConfig {
  readonly method: MethodConfig;
  readonly stage: StageConfig;
}

/** What a stage needs besides its ports and config: where to count, and (in tests) a scheduler. */
export interface StageContext {
  readonly counters: Counters;
  readonly scheduler?: SchedulerLike;
  /** Called by the last stage (assemble) once per input message it has taken, ok or not. */
  readonly onSettled?: (key: string) => void;
}
