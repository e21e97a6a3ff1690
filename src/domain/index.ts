export * from './outcome.ts';
export * from './envelope.ts';
export * from './document.ts';
