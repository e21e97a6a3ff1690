export * from './outcome.ts';
export * from './envelope.ts';
export * from './document.ts';
export * from './dead-letter.ts';
export * from './stage-ids.ts';
