/**
 * Stable stage ids, used alike in logs, metrics, dead-letter headers (`entropylong.stage`),
 * topics/, schemas/ and k8s/. Renaming one is a breaking change for all of them.
 */
export const stageIds = ['score', 'select', 'retrieve', 'verify', 'assemble'] as const;
export type StageId = (typeof stageIds)[number];

export const isStageId = (s: string): s is StageId => (stageIds as readonly string[]).includes(s);
