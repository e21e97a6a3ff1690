import type {
  AssembledSequence, Chunk, DeadLetter, RawDocument, RetrievedDocument, ScoredDocument, SelectedDocument, VerifiedDocument,
} from '../domain/index.ts';

/**
 * Which Avro schema file (in schemas/) carries which domain type. The type parameter exists only
 * for the compiler: a codec made from `messageKinds.rawDocument` serializes RawDocument and
 * deserializes to RawDocument. test/unit/schemas-domain.test.ts holds each pair together.
 */
export interface MessageKind<T> {
  readonly schemaFile: string;
  readonly __type?: T;
}

const kind = <T>(schemaFile: string): MessageKind<T> => ({ schemaFile });

export const messageKinds = {
  rawDocument: kind<RawDocument>('raw-document.avsc'),
  scoredDocument: kind<ScoredDocument>('scored-document.avsc'),
  selectedDocument: kind<SelectedDocument>('selected-document.avsc'),
  retrievedDocument: kind<RetrievedDocument>('retrieved-document.avsc'),
  verifiedDocument: kind<VerifiedDocument>('verified-document.avsc'),
  assembledSequence: kind<AssembledSequence>('assembled-sequence.avsc'),
  chunk: kind<Chunk>('chunk.avsc'),
  deadLetter: kind<DeadLetter>('dead-letter.avsc'),
} as const;
