import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stackEndpoints } from '../../src/stack/endpoints.ts';
import { downloadedSoFar } from '../../src/stack/logged-command.ts';
import { kafkaServerProperties, newKafkaClusterId } from '../../src/stack/services/kafka-files.ts';
import { parseStackConfig } from '../../src/stack/stack-config.ts';
import { UserError } from '../../src/util/errors.ts';

describe('stack config', () => {
  test('defaults, then env, then flags', () => {
    const { config, rest } = parseStackConfig(['up', '--kafka-port', '19092', 'kafka', '--registry-heap=1g'], { ENTROPYLONG_KAFKA_PORT: '29092', ENTROPYLONG_MILVUS_PORT: '29530' });
    assert.equal(config.kafkaPort, 19092);
    assert.equal(config.milvusPort, 29530);
    assert.equal(config.registryPort, 8081);
    assert.equal(config.registryHeap, '1g');
    assert.deepEqual(rest, ['up', 'kafka']);
  });

  test('the state folder variable is ENTROPYLONG_STACK_DIR', () => {
    assert.equal(parseStackConfig([], { ENTROPYLONG_STACK_DIR: '/tmp/x' }).config.stateDir, '/tmp/x');
  });

  const refused: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--kafka-port', 'abc'], {}, /--kafka-port must be a number/],
    [['--milvus-port', '70000'], {}, /--milvus-port must be a TCP port/],
    [[], { ENTROPYLONG_REGISTRY_PORT: '0' }, /ENTROPYLONG_REGISTRY_PORT must be a TCP port/],
    [['--kafka-heap', 'lots'], {}, /--kafka-heap must look like 512m/],
    [['--registry-port', '9092'], {}, /--kafka-port and --registry-port are both 9092/],
    [['--kafka-port'], {}, /--kafka-port needs a value/],
  ];
  for (const [args, env, message] of refused) {
    test(`refuses ${JSON.stringify(args)} ${JSON.stringify(env)} with one line`, () => {
      assert.throws(() => parseStackConfig(args, env), (e: unknown) => e instanceof UserError && message.test(e.message) && !e.message.includes('\n'));
    });
  }
});

describe('stack endpoints', () => {
  test('defaults are the default ports on loopback', () => {
    assert.deepEqual(stackEndpoints({}), { kafkaBrokers: ['127.0.0.1:9092'], registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7', milvusAddress: '127.0.0.1:19530' });
  });
  test('port variables move them; full overrides win', () => {
    assert.deepEqual(stackEndpoints({ ENTROPYLONG_KAFKA_PORT: '39092', ENTROPYLONG_REGISTRY_PORT: '38081', ENTROPYLONG_MILVUS_PORT: '39530' }), { kafkaBrokers: ['127.0.0.1:39092'], registryUrl: 'http://127.0.0.1:38081/apis/ccompat/v7', milvusAddress: '127.0.0.1:39530' });
    const e = stackEndpoints({ ENTROPYLONG_KAFKA_BROKERS: 'a:1, b:2', ENTROPYLONG_REGISTRY_URL: 'http://r/apis/ccompat/v7', ENTROPYLONG_MILVUS_ADDRESS: 'm:1', ENTROPYLONG_KAFKA_PORT: '5' });
    assert.deepEqual(e, { kafkaBrokers: ['a:1', 'b:2'], registryUrl: 'http://r/apis/ccompat/v7', milvusAddress: 'm:1' });
  });
});

describe('stack download progress', () => {
  test('counts Maven and pip download lines', () => {
    const log = [
      'Downloaded from central: https://repo.maven.apache.org/x.jar (159 MB at 92 MB/s)',
      'Downloaded from central: https://repo.maven.apache.org/y.pom (12 kB at 30 kB/s)',
      'Downloading from central: https://repo.maven.apache.org/z.jar',
      '  Downloading milvus_lite-3.2.2-py3-none-manylinux.whl (55.1 MB)',
    ].join('\n');
    const got = downloadedSoFar(log);
    assert.equal(got.files, 3);
    assert.equal(Math.round(got.bytes / 1024), Math.round(159 * 1024 + 12 + 55.1 * 1024));
  });
});

describe('kafka files', () => {
  test('server.properties: KRaft combined, loopback, RF 1 internal topics', () => {
    const p = kafkaServerProperties({ port: 1, controllerPort: 2, dataDir: '/d' });
    for (const line of ['process.roles=broker,controller', 'listeners=PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2', 'offsets.topic.replication.factor=1', 'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1', 'log.dirs=/d']) {
      assert.ok(p.split('\n').includes(line), line);
    }
  });
  test('cluster ids are 22 URL-safe characters not starting with -', () => {
    for (let i = 0; i < 200; i++) assert.match(newKafkaClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
