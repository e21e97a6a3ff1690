import { GgufFile } from './gguf-reader.ts';
import type { GgufMetadata } from './gguf-metadata.ts';

/** Reads only the metadata of a GGUF file (no tensor data). */
export async function readGgufMetadata(path: string): Promise<GgufMetadata> {
  const f = await GgufFile.open(path);
  await f.close();
  return f.metadata;
}
