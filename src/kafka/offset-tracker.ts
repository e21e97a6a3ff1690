/**
 * Which offsets may be committed, per partition, when messages finish out of order.
 *
 * Contract: `received` is called in the order the consumer delivers a partition's messages;
 * `completed` when every record derived from a message has been produced (or the message was
 * dropped or dead-lettered). The committable offset of a partition is one past the last message
 * of its longest fully completed prefix, so a crash replays every unfinished message and nothing
 * finished before it is lost. Offsets are compared as received, never assumed to be contiguous
 * integers (compaction and transaction markers leave gaps).
 */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The offset to commit: the next message to read. */
  readonly offset: string;
}

interface PartitionState {
  /** Received, not yet part of the completed prefix, in receive order. */
  readonly pending: { readonly offset: bigint; done: boolean }[];
  readonly byOffset: Map<bigint, { readonly offset: bigint; done: boolean }>;
  /** Next offset to commit (last completed prefix + 1), or undefined before any completion. */
  next?: bigint;
  committed?: bigint;
}

const keyOf = (topic: string, partition: number): string => `${partition}@${topic}`;

export class OffsetTracker {
  readonly #partitions = new Map<string, PartitionState & { topic: string; partition: number }>();

  received(topic: string, partition: number, offset: string): void {
    const key = keyOf(topic, partition);
    let state = this.#partitions.get(key);
    if (!state) {
      state = { topic, partition, pending: [], byOffset: new Map() };
      this.#partitions.set(key, state);
    }
    const o = BigInt(offset);
    if (state.byOffset.has(o) || (state.next !== undefined && o < state.next)) return;
    const entry = { offset: o, done: false };
    state.pending.push(entry);
    state.byOffset.set(o, entry);
  }

  completed(topic: string, partition: number, offset: string): void {
    const state = this.#partitions.get(keyOf(topic, partition));
    const entry = state?.byOffset.get(BigInt(offset));
    if (!state || !entry) return;
    entry.done = true;
    let drained = 0;
    while (drained < state.pending.length && state.pending[drained]?.done === true) {
      const head = state.pending[drained];
      if (head) {
        state.byOffset.delete(head.offset);
        state.next = head.offset + 1n;
      }
      drained += 1;
    }
    if (drained > 0) state.pending.splice(0, drained);
  }

  /** Offsets that advanced since the last call; the caller commits them and they count as committed. */
  takeCommittable(): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const state of this.#partitions.values()) {
      if (state.next !== undefined && (state.committed === undefined || state.next > state.committed)) {
        out.push({ topic: state.topic, partition: state.partition, offset: state.next.toString() });
        state.committed = state.next;
      }
    }
    return out;
  }

  /** Puts offsets back after a failed commit, so the next take retries them. */
  uncommit(offsets: readonly PartitionOffset[]): void {
    for (const o of offsets) {
      const state = this.#partitions.get(keyOf(o.topic, o.partition));
      if (state && state.committed === BigInt(o.offset)) state.committed = undefined;
    }
  }

  /** Messages received and not yet completed. */
  get inFlight(): number {
    let n = 0;
    for (const state of this.#partitions.values()) n += state.byOffset.size;
    return n;
  }

  /**
   * Forgets partitions this consumer no longer owns (after a rebalance): their unfinished
   * messages will be delivered again to the new owner, and late completions are ignored.
   */
  retainOnly(owned: readonly { topic: string; partition: number }[]): void {
    const keep = new Set(owned.map((p) => keyOf(p.topic, p.partition)));
    for (const key of [...this.#partitions.keys()]) if (!keep.has(key)) this.#partitions.delete(key);
  }
}
