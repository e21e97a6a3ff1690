import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import type { ExecutionProvider } from './worker-protocol.ts';

const require = createRequire(import.meta.url);

/** Folder holding onnxruntime-node's native binding and provider libraries for this platform. */
export const onnxruntimeBinDir = (): string =>
  join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);

export const executionProviders: readonly ExecutionProvider[] = ['cpu', 'cuda'];

/**
 * Checks that `provider` can run here, before any worker starts. 'cpu' always can; 'cuda' needs
 * onnxruntime-node's CUDA provider library (not bundled: installed only when onnxruntime-node's
 * install script downloads it) and a CUDA runtime, else a UserError saying what is missing.
 */
export function assertExecutionProviderAvailable(provider: string): asserts provider is ExecutionProvider {
  if (provider === 'cpu') return;
  if (provider !== 'cuda') {
    throw new UserError(`execution provider '${provider}' is not supported (choose one of: ${executionProviders.join(', ')})`);
  }
  if (process.platform !== 'linux' && process.platform !== 'win32') {
    throw new UserError(`execution provider 'cuda': onnxruntime-node has no CUDA provider on ${process.platform}`);
  }
  const lib = join(onnxruntimeBinDir(), process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
  if (!existsSync(lib)) {
    throw new UserError(
      `execution provider 'cuda': the CUDA provider is not installed (${lib} is missing). ` +
        `Reinstall onnxruntime-node with its install script enabled (this repository's .npmrc skips it) ` +
        `and a CUDA 12 runtime with cuDNN 9 on the library path, or use --execution-provider cpu`,
    );
  }
}
