// Worker threads do not inherit a loader registered with tsx's API; register it, then load the TS entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
