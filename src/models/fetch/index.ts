export { fetchWheel, type FetchWheelOptions, type FetchedWheel } from './pip-download.ts';
export { readZipDirectory, extractZipEntry, type ZipEntry } from './zip.ts';
export { sha256File } from './sha256.ts';
export * from './pinned.ts';
