import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { portIsFree } from '../../src/stack/ports.ts';
import { isOurs, readPidRecord, rssOf, spawnDetached, stopProcess, writePidRecord, type PidRecord } from '../../src/stack/processes.ts';
import { createServer } from 'node:net';

const dir = mkdtempSync(join(tmpdir(), 'entropylong-stack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a detached process is ours by its marker, logs to its file, and stops on SIGTERM', async () => {
  const marker = join(dir, 'svc-marker');
  const logPath = join(dir, 'svc.log');
  // Without NODE_TEST_CONTEXT: a node child that inherits it behaves as a test-runner child.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const pid = spawnDetached(process.execPath, ['-e', 'console.log("hello"); setInterval(() => {}, 1000)', marker], { logPath, cwd: dir, env });
  const record: PidRecord = { pid, service: 'test', port: 0, marker, startedAt: new Date().toISOString() };
  writePidRecord(join(dir, 'pid.json'), record);
  assert.deepEqual(readPidRecord(join(dir, 'pid.json')), record);
  assert.ok(isOurs(record));
  assert.equal(isOurs({ ...record, marker: join(dir, 'someone-else') }), false, 'a pid whose command line lacks the marker is not ours');
  for (let i = 0; i < 50 && !readFileSync(logPath, 'utf8').includes('hello'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(readFileSync(logPath, 'utf8'), /hello/);
  // Measured once the child has printed, so it has finished starting (just after spawn it may be tiny).
  assert.ok((rssOf(pid) ?? 0) > 1024 * 1024);
  assert.equal(await stopProcess(record, 5000), 'stopped');
  assert.equal(isOurs(record), false);
  assert.equal(await stopProcess(record, 5000), 'not-running');
});

test('stopProcess never signals a pid that is not ours', async () => {
  const foreign: PidRecord = { pid: process.pid, service: 'test', port: 0, marker: join(dir, 'not-in-our-command-line'), startedAt: '' };
  assert.equal(await stopProcess(foreign, 100), 'not-running');
});

test('portIsFree sees a listening port as taken', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  assert.equal(await portIsFree(port), false);
  await new Promise((r) => server.close(r));
  assert.equal(await portIsFree(port), true);
});

test('a missing or garbled pid file reads as none', () => {
  assert.equal(readPidRecord(join(dir, 'nope.json')), undefined);
});
