import { ConsistencyLevelEnum, MilvusClient } from '@zilliz/milvus2-sdk-node';
import type { ChunkHit, IndexedChunk, VectorIndex } from '../ports/vector-index.ts';
import { stackEndpoints } from '../stack/endpoints.ts';
import { EntropyLongError } from '../util/errors.ts';
import { fieldInList, fieldNotEqual, isValidCollectionName } from './milvus-expr.ts';
import { allOutputFields, chunkFields, fields, limits, scalarOutputFields, vectorIndex } from './milvus-schema.ts';
import { checkStatus, transportError } from './milvus-status.ts';
import { ignoreConnectFailure } from './milvus-connect.ts';

export interface MilvusIndexOptions {
  /** host:port of Milvus; default: stackEndpoints().milvusAddress. */
  readonly address?: string;
  /** Rows per insert/upsert/query/delete request. */
  readonly batchSize?: number;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number;
}

/** Milvus caps topk at 16,384. */
const maxTopK = 16_384;
/**
 * Extra hits asked for beyond k, so that ties at the k-th score are broken by chunkId as the
 * port requires, not by whatever order Milvus returned them in.
 */
const tieMargin = 8;

const compareHits = (a: ChunkHit, b: ChunkHit): number => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0);

/**
 * VectorIndex on Milvus through @zilliz/milvus2-sdk-node, keeping to what both milvus-lite and
 * full Milvus support: explicit fields, FLAT index with IP metric, explicit output fields, load
 * before search, the default database, strong consistency (a search sees every acknowledged
 * upsert). Results: descending score, ties by chunkId; getByIds keeps the order asked for and
 * skips ids that are absent.
 */
export class MilvusVectorIndex implements VectorIndex {
  private readonly client: MilvusClient;
  private readonly address: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly dimensions = new Map<string, number>();

  constructor(options: MilvusIndexOptions = {}) {
    this.address = options.address ?? stackEndpoints().milvusAddress;
    this.batchSize = options.batchSize ?? 512;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.client = new MilvusClient({ address: this.address, timeout: this.timeoutMs });
    ignoreConnectFailure(this.client);
  }

  async ensureCollection(name: string, dimension: number): Promise<void> {
    checkName(name);
    if (!Number.isInteger(dimension) || dimension <= 0) throw new EntropyLongError(`milvus: collection '${name}': dimension must be a positive integer, got ${dimension}`);
    const exists = await this.call(`hasCollection ${name}`, () => this.client.hasCollection({ collection_name: name }));
    checkStatus(`hasCollection ${name}`, exists.status);
    if (exists.value) {
      const existing = await this.dimensionOf(name);
      if (existing !== dimension) throw new EntropyLongError(`milvus: collection '${name}' has dimension ${existing}, not ${dimension}; drop it or use another name`);
    } else {
      checkStatus(`createCollection ${name}`, await this.call(`createCollection ${name}`, () => this.client.createCollection({
        collection_name: name,
        fields: chunkFields(dimension),
        enable_dynamic_field: false,
        consistency_level: 'Strong',
      })));
      checkStatus(`createIndex ${name}`, await this.call(`createIndex ${name}`, () => this.client.createIndex({ collection_name: name, ...vectorIndex })));
    }
    checkStatus(`loadCollection ${name}`, await this.call(`loadCollection ${name}`, () => this.client.loadCollectionSync({ collection_name: name })));
    this.dimensions.set(name, dimension);
  }

  async dropCollection(name: string): Promise<void> {
    checkName(name);
    const exists = await this.call(`hasCollection ${name}`, () => this.client.hasCollection({ collection_name: name }));
    checkStatus(`hasCollection ${name}`, exists.status);
    if (exists.value) checkStatus(`dropCollection ${name}`, await this.call(`dropCollection ${name}`, () => this.client.dropCollection({ collection_name: name })));
    this.dimensions.delete(name);
  }

  async upsert(name: string, chunks: readonly IndexedChunk[]): Promise<void> {
    const dimension = await this.dimensionOf(name);
    for (const c of chunks) {
      if (c.vector.length !== dimension) throw new EntropyLongError(`milvus: chunk '${c.chunkId}' has a ${c.vector.length}-dimensional vector; collection '${name}' takes ${dimension}`);
      if (Buffer.byteLength(c.chunkId) > limits.idLength || Buffer.byteLength(c.docId) > limits.idLength) throw new EntropyLongError(`milvus: chunk '${c.chunkId.slice(0, 64)}': chunkId and docId must be ≤ ${limits.idLength} bytes`);
      if (Buffer.byteLength(c.text) > limits.textLength) throw new EntropyLongError(`milvus: chunk '${c.chunkId}' text is ${Buffer.byteLength(c.text)} bytes; the limit is ${limits.textLength}`);
    }
    for (const batch of batches(dedupeLastWins(chunks), this.batchSize)) {
      const data = batch.map((c) => ({ [fields.chunkId]: c.chunkId, [fields.docId]: c.docId, [fields.text]: c.text, [fields.vector]: Array.from(c.vector) }));
      const res = await this.call(`upsert into ${name}`, () => this.client.upsert({ collection_name: name, data }));
      checkStatus(`upsert into ${name}`, res.status);
      if (res.err_index.length > 0) throw new EntropyLongError(`milvus: upsert into ${name}: ${res.err_index.length} of ${batch.length} rows failed`, { retriable: true });
    }
  }

  async search(name: string, queries: readonly Float32Array[], k: number, options: { excludeDocId?: string } = {}): Promise<ChunkHit[][]> {
    if (queries.length === 0 || k <= 0) return queries.map(() => []);
    const dimension = await this.dimensionOf(name);
    for (const q of queries) if (q.length !== dimension) throw new EntropyLongError(`milvus: query of dimension ${q.length}; collection '${name}' takes ${dimension}`);
    const limit = Math.min(maxTopK, k + tieMargin);
    const res = await this.call(`search ${name}`, () => this.client.search({
      collection_name: name,
      anns_field: fields.vector,
      data: queries.map((q) => Array.from(q)),
      limit,
      metric_type: vectorIndex.metric_type,
      output_fields: scalarOutputFields,
      consistency_level: ConsistencyLevelEnum.Strong,
      ...(options.excludeDocId === undefined ? {} : { filter: fieldNotEqual(fields.docId, options.excludeDocId) }),
    }));
    checkStatus(`search ${name}`, res.status);
    const raw = res.results as unknown[];
    // One query comes back as a flat list of hits, several as a list per query.
    const perQuery = (queries.length === 1 && !Array.isArray(raw[0]) ? [raw] : raw) as Record<string, unknown>[][];
    return queries.map((_, i) =>
      (perQuery[i] ?? [])
        .map((h) => ({ chunkId: String(h[fields.chunkId]), docId: String(h[fields.docId]), text: String(h[fields.text]), score: Number(h.score) }))
        .sort(compareHits)
        .slice(0, k),
    );
  }

  async getByIds(name: string, chunkIds: readonly string[]): Promise<IndexedChunk[]> {
    checkName(name);
    const found = new Map<string, IndexedChunk>();
    for (const batch of batches([...new Set(chunkIds)], this.batchSize)) {
      const res = await this.call(`query ${name}`, () => this.client.query({
        collection_name: name,
        filter: fieldInList(fields.chunkId, batch),
        output_fields: allOutputFields,
        consistency_level: ConsistencyLevelEnum.Strong,
      }));
      checkStatus(`query ${name}`, res.status);
      for (const row of res.data) {
        const chunkId = String(row[fields.chunkId]);
        found.set(chunkId, { chunkId, docId: String(row[fields.docId]), text: String(row[fields.text]), vector: Float32Array.from(row[fields.vector] as number[]) });
      }
    }
    return chunkIds.flatMap((id) => {
      const c = found.get(id);
      return c ? [c] : [];
    });
  }

  async deleteByIds(name: string, chunkIds: readonly string[]): Promise<void> {
    checkName(name);
    for (const batch of batches([...new Set(chunkIds)], this.batchSize)) {
      const res = await this.call(`delete from ${name}`, () => this.client.delete({ collection_name: name, filter: fieldInList(fields.chunkId, batch) }));
      checkStatus(`delete from ${name}`, res.status);
    }
  }

  async count(name: string): Promise<number> {
    checkName(name);
    const res = await this.call(`count ${name}`, () => this.client.count({ collection_name: name }));
    checkStatus(`count ${name}`, res.status);
    return res.data;
  }

  async close(): Promise<void> {
    await this.client.closeConnection();
  }

  private async dimensionOf(name: string): Promise<number> {
    checkName(name);
    const known = this.dimensions.get(name);
    if (known !== undefined) return known;
    const res = await this.call(`describeCollection ${name}`, () => this.client.describeCollection({ collection_name: name }));
    checkStatus(`describeCollection ${name} (call ensureCollection first?)`, res.status);
    const vectorField = res.schema.fields.find((f) => f.name === fields.vector);
    const dim = Number(vectorField?.type_params?.find((p) => p.key === 'dim')?.value ?? vectorField?.dim);
    const names = new Set(res.schema.fields.map((f) => f.name));
    if (!Number.isInteger(dim) || dim <= 0 || !allOutputFields.every((f) => names.has(f))) {
      throw new EntropyLongError(`milvus: collection '${name}' is not a chunk collection (fields ${[...names].join(', ')}); expected ${allOutputFields.join(', ')}`);
    }
    this.dimensions.set(name, dim);
    return dim;
  }

  private async call<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw transportError(what, this.address, e);
    }
  }
}

function checkName(name: string): void {
  if (!isValidCollectionName(name)) throw new EntropyLongError(`milvus: '${name}' is not a valid collection name (a letter or _, then letters, digits, _; at most 255)`);
}

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Milvus rejects a batch with the same primary key twice; the last one wins, as in the memory index. */
function dedupeLastWins(chunks: readonly IndexedChunk[]): IndexedChunk[] {
  return [...new Map(chunks.map((c) => [c.chunkId, c])).values()];
}
