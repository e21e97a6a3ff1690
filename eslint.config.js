import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Pure code (domain/, algorithms/) must stay free of I/O and transport: no node built-ins
// that touch the outside world, no rxjs, Kafka, ONNX, Milvus or registry clients.
const ioModules = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:net', 'net', 'node:http', 'http',
  'node:https', 'https', 'node:child_process', 'child_process', 'node:worker_threads',
  'worker_threads', 'node:os', 'os', 'node:process', 'process', 'node:dgram', 'node:readline',
  'rxjs', 'rxjs/*', 'kafkajs', 'onnxruntime-node', '@zilliz/milvus2-sdk-node',
  '@confluentinc/schemaregistry', 'avsc', 'hyparquet', 'hyparquet-writer',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.stack/**', '.models/**', 'out/**', 'dist/**', '.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/algorithms/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.filter((m) => !m.includes('*')).map((name) => ({ name, message: 'domain/ and algorithms/ are pure: no I/O imports.' })),
        patterns: [{ group: ['rxjs/*', '../stages/*', '../kafka/*', '../vector/*', '../models/*', '../serde/*', '../services/*', '../stack/*', '../cli/*'], message: 'domain/ and algorithms/ are pure: no I/O imports.' }],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'pure code reads no environment' }, { name: 'fetch', message: 'pure code does no I/O' }],
    },
  },
);
