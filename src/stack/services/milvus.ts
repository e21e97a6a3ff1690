import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../progress.ts';
import { ensureVenv, venvBin } from '../python-venv.ts';
import type { StackConfig } from '../stack-config.ts';
import type { StackService } from '../service.ts';
import { portIsFree } from '../ports.ts';
import { ignoreConnectFailure } from '../../vector/milvus-connect.ts';

/** Milvus Lite's gRPC server (speaks the Milvus API to @zilliz/milvus2-sdk-node), data on disk. */
export function milvusService(config: StackConfig): StackService {
  const stateDir = join(config.stateDir, 'milvus');
  const venv = join(config.cacheDir, `milvus-lite-${config.milvusLiteVersion}-pymilvus-${config.pymilvusVersion}`);
  const logDir = join(config.stateDir, 'logs');

  return {
    name: 'milvus',
    title: `Milvus Lite ${config.milvusLiteVersion} (gRPC server)`,
    ports: [{ port: config.milvusPort, flag: '--milvus-port', env: 'ENTROPYLONG_MILVUS_PORT' }],
    stateDir,
    logPath: join(stateDir, 'milvus.log'),
    stopGraceSeconds: 15,
    prepare: async (progress: Progress) => {
      mkdirSync(logDir, { recursive: true });
      await ensureVenv('milvus', venv, [`milvus-lite==${config.milvusLiteVersion}`, `pymilvus==${config.pymilvusVersion}`], join(logDir, `pip-milvus-lite-${config.milvusLiteVersion}.log`), progress);
    },
    launchSpec: () => {
      const dataDir = join(stateDir, 'data');
      mkdirSync(dataDir, { recursive: true });
      return Promise.resolve({
        command: venvBin(venv, 'milvus-lite'),
        args: ['server', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(config.milvusPort)],
        cwd: stateDir,
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      });
    },
    probe: () => milvusAnswers(`127.0.0.1:${config.milvusPort}`),
  };
}

async function milvusAnswers(address: string): Promise<boolean> {
  const [host, port] = address.split(':') as [string, string];
  if (await portIsFree(Number(port), host)) return false; // nothing listens yet: no gRPC client
  const { MilvusClient } = await import('@zilliz/milvus2-sdk-node');
  const client = new MilvusClient({ address, timeout: 5000 });
  ignoreConnectFailure(client);
  try {
    const res = await client.listCollections({ timeout: 5000 });
    return res.status.error_code === 'Success';
  } finally {
    await client.closeConnection().catch(() => undefined);
  }
}

