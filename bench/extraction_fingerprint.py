"""A hash of the extraction pipeline's full structured output over every text the repository
has (seed texts, the held-out corpus, the bench's generated articles, and PolNeAR dev when
``../shared/evaldata`` is present): claims with spans, modality, stance, confidence and every
hop (speaker, relation, cue, spans, confidence), the mentions, publisher, title and furniture,
for ``extract`` (with the learned English model) and ``extract_rules``.

    .venv/bin/python bench/extraction_fingerprint.py [--per-text]

A speed-only change must leave the printed hashes unchanged. ``--per-text`` prints one hash
per text, to find which text changed.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import hashlib
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CLAIMS_EMBEDDINGS", "off")


def texts() -> list[tuple[str, str]]:
    from bench.ingest_throughput import arabic_article, english_article

    out: list[tuple[str, str]] = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        out.append((f"seeds/{p.name}", p.read_text(encoding="utf-8")))
    for p in sorted((ROOT / "bench" / "heldout" / "articles").glob("*.txt")):
        out.append((f"heldout/{p.name}", p.read_text(encoding="utf-8")))
    rng = random.Random(7)
    for i in range(20):
        out.append((f"bench/{i}", (arabic_article if i % 2 else english_article)(rng, i)))
    polnear = ROOT.parent.parent / "shared" / "evaldata" / "polnear" / "dev.jsonl"
    if not polnear.exists():
        polnear = Path("/work/shared/evaldata/polnear/dev.jsonl")
    if polnear.exists():
        seen: set[str] = set()
        for line in polnear.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["text"] not in seen:
                seen.add(rec["text"])
                out.append((f"polnear/{rec['id']}", rec["text"]))
    return out


def _plain(value):
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return repr(value)
    return value


def serialise(extraction) -> bytes:
    return json.dumps(_plain(extraction), ensure_ascii=False, sort_keys=True).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-text", action="store_true")
    args = parser.parse_args()

    from claims.extraction import extract
    from claims.extraction.pipeline import extract_rules

    corpus = texts()
    for name, fn in (("extract", extract), ("extract_rules", extract_rules)):
        total = hashlib.sha256()
        for key, text in corpus:
            blob = serialise(fn(text))
            total.update(hashlib.sha256(blob).digest())
            if args.per_text:
                print(f"{name} {key} {hashlib.sha256(blob).hexdigest()[:16]}")
        print(f"{name}: {len(corpus)} texts, sha256 {total.hexdigest()}")


if __name__ == "__main__":
    main()
