/** Stable stage ids: used in counters, logs, metrics, dead-letter headers, topics and schemas. */
export const stageIds = ['score', 'select', 'retrieve', 'verify', 'assemble'] as const;
export type StageId = (typeof stageIds)[number];

/** Header that names the stage which dropped or failed a message. */
export const STAGE_HEADER = 'entropylong-stage';
/** Header with the reason of a drop, or the error message of a failure. */
export const REASON_HEADER = 'entropylong-reason';
