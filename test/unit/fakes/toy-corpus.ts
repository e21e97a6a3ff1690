/**
 * FAKE FOR UNIT TESTS ONLY — synthetic text. Topics are disjoint word lists; corpus documents
 * and root documents are random word sequences from one topic, so a root's query windows
 * retrieve chunks of its topic, and those chunks contain the root's words (which lowers the toy
 * scorer's entropy there).
 */
import type { RawDocument } from '../../../src/domain/document.ts';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

const topicWords = (topic: number, size: number): string[] => Array.from({ length: size }, (_, i) => `t${topic}w${i}`);

function paragraph(random: () => number, words: readonly string[], length: number): string {
  const out: string[] = [];
  for (let i = 0; i < length; i++) out.push(words[Math.floor(random() * words.length)] as string);
  return `${out.join(' ')}.`;
}

export function toyText(random: () => number, topic: number, paragraphs: number, wordsPerParagraph: number, vocabulary = 60): string {
  const words = topicWords(topic, vocabulary);
  return Array.from({ length: paragraphs }, () => paragraph(random, words, wordsPerParagraph)).join('\n\n');
}

export function toyCorpus(seed: number, topics: number, docsPerTopic: number): RawDocument[] {
  const random = lcg(seed);
  const docs: RawDocument[] = [];
  for (let t = 0; t < topics; t++) {
    for (let d = 0; d < docsPerTopic; d++) docs.push({ id: `corpus-t${t}-${d}`, text: toyText(random, t, 4, 40) });
  }
  return docs;
}

export function toyRoots(seed: number, topics: number, count: number, paragraphs = 3): RawDocument[] {
  const random = lcg(seed);
  return Array.from({ length: count }, (_, i) => ({ id: `root-${i}`, text: toyText(random, i % topics, paragraphs, 50) }));
}
