import { DataType, type FieldType } from '@zilliz/milvus2-sdk-node';

/** Field names of a chunk collection; the same on milvus-lite and full Milvus. */
export const fields = { chunkId: 'chunk_id', docId: 'doc_id', text: 'text', vector: 'vector' } as const;
export const scalarOutputFields = [fields.chunkId, fields.docId, fields.text];
export const allOutputFields = [...scalarOutputFields, fields.vector];

/** Max lengths of the varchar fields (Milvus caps varchar at 65,535). */
export const limits = { idLength: 512, textLength: 65_535 } as const;

/**
 * Explicit schema only: no dynamic field, no partition key, varchar primary key supplied by us.
 * FLAT (exact) index with inner product: vectors are unit length, so IP is cosine, and exact
 * search returns the same neighbours as the in-memory index. FLAT works on milvus-lite and on
 * every full Milvus deployment.
 */
export function chunkFields(dimension: number): FieldType[] {
  return [
    { name: fields.chunkId, data_type: DataType.VarChar, is_primary_key: true, autoID: false, max_length: limits.idLength },
    { name: fields.docId, data_type: DataType.VarChar, max_length: limits.idLength },
    { name: fields.text, data_type: DataType.VarChar, max_length: limits.textLength },
    { name: fields.vector, data_type: DataType.FloatVector, dim: dimension },
  ];
}

export const vectorIndex = { field_name: fields.vector, index_name: 'vector_flat_ip', index_type: 'FLAT', metric_type: 'IP' } as const;
