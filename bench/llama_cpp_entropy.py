#!/usr/bin/env python3
"""llama.cpp side of bench/scorer.bench.ts: per-token entropies of token-id documents on a GGUF.

Reads a JSON request on stdin: {"gguf": path, "threads": n, "n_ctx": n, "docs": [[ids...], ...]}
and writes one JSON line: {"seconds", "tokens", "peak_rss_bytes", "llama_cpp_python", "entropies"}.
Each document is evaluated from an empty KV cache with logits for every position (logits_all);
entropy (nats) is computed from the logits with numpy in float64, inside the timed region.
"""
import json
import resource
import sys
import time

import numpy as np
import llama_cpp


def entropy_nats(logits: np.ndarray, rows: int = 256) -> np.ndarray:
    """Row blocks keep the float64 temporaries small ([8192, 49152] would need GBs each)."""
    if logits.shape[0] > rows:
        return np.concatenate([entropy_nats(logits[i:i + rows], rows) for i in range(0, logits.shape[0], rows)])
    z = logits.astype(np.float64)
    m = z.max(axis=-1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=-1, keepdims=True)
    lse = (m + np.log(s))[..., 0]
    return lse - ((e / s) * z).sum(axis=-1)


def main() -> None:
    req = json.load(sys.stdin)
    docs = req["docs"]
    n_ctx = int(req["n_ctx"])
    llm = llama_cpp.Llama(
        model_path=req["gguf"], n_ctx=n_ctx, n_batch=n_ctx, n_ubatch=min(n_ctx, int(req.get("n_ubatch", 512))),
        logits_all=True, n_threads=req["threads"], n_threads_batch=req["threads"], verbose=False,
    )
    # warm-up on a short prefix, not timed
    llm.reset()
    llm.eval(docs[0][: min(64, len(docs[0]))])
    out = []
    start = time.perf_counter()
    for ids in docs:
        llm.reset()
        llm.eval(ids)
        logits = llm.scores[: len(ids)]
        out.append(entropy_nats(logits).astype(np.float32).tolist())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    json.dump({"seconds": seconds, "tokens": sum(len(d) for d in docs), "peak_rss_bytes": peak,
               "llama_cpp_python": llama_cpp.__version__, "entropies": out}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
