"""Score attribution extraction against annotated sets in the PolNeAR JSONL format.

A record is ``{id, lang, primary, text, attributions: [{speaker_span, cue_span, content_span,
...}]}`` (see ``../shared/evaldata/README.md``). Records exported from the curated seeds
(``export_seeds``) carry two more fields: ``outlet`` (the publisher's name, passed to the
pipeline) and ``claims`` (every curated claim's span and chain of source names), which give
the chain exact-match score.

Scores, per language and overall (micro-averaged over documents):

- speaker, cue, content: precision/recall/F1 over the sets of spans in each document, exact
  (same start and end) and overlap (any shared character), as in the PARC/Citron evaluations;
- chain_exact: the share of curated claims for which the predicted claim that overlaps it most
  (any of them when several speakers share that span) has the same chain of sources, origin to publisher, every hop compared (the publisher's too)
  by name with the resolution rules of ``claims.extraction.resolution``; null when the set
  has no chains.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.extraction import extract, learned
from claims.extraction.model import ExtractedClaim
from claims.extraction.resolution import same_name
from claims.seeding import locate
from claims.yamlfile import read_yaml

Span = tuple[int, int]


# ----------------------------------------------------------------------------- export
def _alias_spans(text: str, start: int, end: int, forms: list[str], near: int | None = None) -> Span | None:
    """The span covering the longest alias occurrences inside [start, end), merged when only
    white space separates them ("وزير الدفاع العراقي ثابت رضا")."""
    hits: list[Span] = []
    window = text[start:end]
    for form in sorted(set(forms), key=len, reverse=True):
        if not form:
            continue
        i = window.find(form)
        while i != -1:
            s, e = start + i, start + i + len(form)
            if not any(a <= s and e <= b for a, b in hits):
                hits.append((s, e))
            i = window.find(form, i + 1)
    if not hits:
        return None
    hits.sort()
    merged = [hits[0]]
    for s, e in hits[1:]:
        ps, pe = merged[-1]
        if s <= pe or not text[pe:s].strip():
            merged[-1] = (ps, max(pe, e))
        else:
            merged.append((s, e))
    if near is not None:
        return min(merged, key=lambda m: (abs(m[0] - near), -(m[1] - m[0])))
    return max(merged, key=lambda m: m[1] - m[0])


def export_seeds(seeds_dir: Path, *, files: set[str] | None = None, split: str = "seed") -> list[dict[str, Any]]:
    """The curated annotations of a corpus directory (the seeds, or another directory with the
    same layout) as PolNeAR-style records (plus ``claims`` with chains); ``files`` keeps only
    the annotations of those article files, ``split`` labels the records."""
    sources = {s["key"]: s for s in read_yaml(seeds_dir / "sources.yaml")["sources"]}

    def forms(key: str) -> list[str]:
        entry = sources[key]
        return [entry["name"], *[a["text"] for a in entry.get("aliases") or []]]

    records = []
    for path in sorted((seeds_dir / "annotations").glob("*.yaml")):
        ann = read_yaml(path)
        if files is not None and ann["file"] not in files:
            continue
        text = (seeds_dir / ann["file"]).read_text(encoding="utf-8")
        outlet = ann.get("outlet")
        attributions, claims = [], []
        for entry in ann.get("claims") or []:
            start, end = locate(text, entry["text"], occurrence=entry.get("occurrence"))
            chain = [h["source"] for h in entry["hops"]]
            claims.append(
                {
                    "key": entry["key"],
                    "content_span": [start, end],
                    "chain": chain,
                    "chain_names": [forms(k) for k in chain],
                    "modality": entry["modality"],
                }
            )
            hop0 = entry["hops"][0]
            if hop0["relation"] == "published":
                continue
            speaker_span = cue_span = None
            if hop0.get("evidence"):
                ev = locate(text, hop0["evidence"], near=start)
                speaker_span = _alias_spans(text, ev[0], ev[1], forms(hop0["source"]))
                if hop0.get("cue"):
                    i = text.find(hop0["cue"], ev[0], ev[1] + len(hop0["cue"]))
                    if i != -1:
                        cue_span = (i, i + len(hop0["cue"]))
            if speaker_span is None:
                para_start = text.rfind("\n", 0, start) + 1
                para_end = text.find("\n", end)
                para_end = len(text) if para_end == -1 else para_end
                speaker_span = _alias_spans(text, para_start, para_end, forms(hop0["source"]), near=start)
            attributions.append(
                {
                    "speaker": text[speaker_span[0] : speaker_span[1]] if speaker_span else None,
                    "cue": text[cue_span[0] : cue_span[1]] if cue_span else None,
                    "content": text[start:end],
                    "speaker_span": list(speaker_span) if speaker_span else None,
                    "cue_span": list(cue_span) if cue_span else None,
                    "content_span": [start, end],
                    "has_source": True,
                    "chain": chain,
                }
            )
        records.append(
            {
                "id": ann["file"],
                "lang": ann["lang"],
                "split": split,
                "publisher": outlet,
                "outlet": sources[outlet]["name"] if outlet else None,
                "outlet_key": outlet,
                "title": ann.get("title"),
                "annotator": "curated",
                "primary": True,
                "text": text,
                "attributions": attributions,
                "claims": claims,
            }
        )
    return records


# ----------------------------------------------------------------------------- scoring
@dataclass
class Counts:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    tp_pred_overlap: int = 0
    tp_gold_overlap: int = 0

    def add(self, pred: set[Span], gold: set[Span]) -> None:
        self.n_pred += len(pred)
        self.n_gold += len(gold)
        self.tp += len(pred & gold)
        self.tp_pred_overlap += sum(1 for p in pred if any(_overlap(p, g) for g in gold))
        self.tp_gold_overlap += sum(1 for g in gold if any(_overlap(p, g) for p in pred))

    def scores(self) -> dict[str, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        po = self.tp_pred_overlap / self.n_pred if self.n_pred else 0.0
        ro = self.tp_gold_overlap / self.n_gold if self.n_gold else 0.0
        return {
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(_f1(p, r), 4),
            "p_overlap": round(po, 4),
            "r_overlap": round(ro, 4),
            "f1_overlap": round(_f1(po, ro), 4),
        }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spans(items: Iterable[Any]) -> set[Span]:
    return {(int(s[0]), int(s[1])) for s in items if s and len(s) == 2 and s[1] > s[0]}


@dataclass
class LangScores:
    n_docs: int = 0
    speaker: Counts = field(default_factory=Counts)
    cue: Counts = field(default_factory=Counts)
    content: Counts = field(default_factory=Counts)
    chain_total: int = 0
    chain_exact: int = 0
    chain_misses: list[dict[str, Any]] = field(default_factory=list)

    def out(self) -> dict[str, Any]:
        return {
            "n_docs": self.n_docs,
            "speaker": self.speaker.scores(),
            "cue": self.cue.scores(),
            "content": self.content.scores(),
            "chain_exact": round(self.chain_exact / self.chain_total, 4) if self.chain_total else None,
            "chain_claims": self.chain_total,
        }


def _predicted_chain_matches(claim: ExtractedClaim, gold: dict[str, Any]) -> bool:
    """Every hop, the publisher's included, names the gold hop's source (by the resolution
    rules): a chain that ends at the wrong publisher, or puts the publisher where the gold
    has a relay, does not match."""
    chain = gold["chain"]
    if len(chain) != len(claim.hops):
        return False
    for hop, names in zip(claim.hops, gold["chain_names"], strict=True):
        forms = hop.mention.all_forms()
        if not any(same_name(f, n) for f in forms for n in names):
            return False
    return True


def score_record(record: dict[str, Any], acc: LangScores, *, keep_misses: bool = False) -> None:
    text = record["text"]
    ex = extract(text, lang=record.get("lang"), outlet=record.get("outlet"), doc_key=str(record.get("id"))[:12])
    attributed = [c for c in ex.claims if c.attributed]
    gold = record.get("attributions") or []
    acc.n_docs += 1
    acc.speaker.add(_spans(c.hops[0].speaker_span for c in attributed), _spans(a.get("speaker_span") for a in gold))
    acc.cue.add(_spans(c.hops[0].cue_span for c in attributed), _spans(a.get("cue_span") for a in gold))
    acc.content.add(_spans((c.start, c.end) for c in attributed), _spans(a.get("content_span") for a in gold))
    for g in record.get("claims") or []:
        acc.chain_total += 1
        gs, ge = g["content_span"]
        best, best_overlap, tied = None, 0, []
        for c in ex.claims:
            ov = min(ge, c.end) - max(gs, c.start)
            if ov > best_overlap:
                best, best_overlap, tied = c, ov, [c]
            elif ov == best_overlap and ov > 0:
                tied.append(c)  # the same span said by several speakers (a joint statement)
        if any(_predicted_chain_matches(c, g) for c in tied):
            acc.chain_exact += 1
        elif keep_misses:
            acc.chain_misses.append(
                {
                    "key": g.get("key"),
                    "gold": g["chain"],
                    "predicted": [h.mention.display for h in best.hops] if best else None,
                    "text": text[gs:ge][:80],
                }
            )


def evaluate(path: Path, *, keep_misses: bool = False, limit: int | None = None) -> dict[str, Any]:
    by_lang: dict[str, LangScores] = defaultdict(LangScores)
    total = LangScores()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            if not record.get("primary", True):
                continue
            if limit is not None and total.n_docs >= limit:
                break
            lang = record.get("lang") or "en"
            score_record(record, by_lang[lang], keep_misses=keep_misses)
            score_record(record, total)
    out = total.out()
    out["by_lang"] = {lang: s.out() for lang, s in sorted(by_lang.items())}
    out["model"] = {"en": learned.model_info()}  # which English attribution model ran (or the rules)
    if keep_misses:
        out["chain_misses"] = {lang: s.chain_misses for lang, s in by_lang.items()}
    return out
