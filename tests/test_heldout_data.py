"""The team-written held-out corpus (bench/heldout) is consistent: every annotation points into
its article, every key exists, the split covers everything and the question mix holds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from claims.qa_eval import load_corpus

ROOT = Path(__file__).resolve().parent.parent / "bench" / "heldout"
INTENTS = {"who_said", "origin", "speaker", "verify", "relayer", "first_reported"}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def test_annotation_strings_occur_in_their_article(corpus):
    for stem, ann in corpus.annotations.items():
        text = corpus.article_text(stem)
        assert ann["lang"] in ("ar", "en"), stem
        for entry in ann["claims"]:
            assert text.count(entry["text"]) == 1 or entry.get("occurrence"), (stem, entry["key"])
            for hop in entry["hops"]:
                for field in ("evidence", "cue"):
                    if hop.get(field):
                        assert hop[field] in text, (stem, entry["key"], field, hop[field])


def test_every_key_exists_and_is_unique(corpus):
    keys = Counter(e["key"] for ann in corpus.annotations.values() for e in ann["claims"])
    assert not [k for k, n in keys.items() if n > 1]
    source_keys = [s["key"] for s in yaml.safe_load((ROOT / "sources.yaml").read_text(encoding="utf-8"))["sources"]]
    assert len(source_keys) == len(set(source_keys))
    for ann in corpus.annotations.values():
        assert ann["outlet"] in corpus.sources
        for entry in ann["claims"]:
            assert entry["hops"][-1]["source"] == ann["outlet"], entry["key"]
            assert entry["hops"][-1]["relation"] in ("published", "translated"), entry["key"]
            for hop in entry["hops"]:
                assert hop["source"] in corpus.sources, (entry["key"], hop["source"])
    for s in corpus.sources.values():
        langs = {a["lang"] for a in s.get("aliases") or []}
        assert {"ar", "en"} <= langs or s["kind"] == "anonymous", f"{s['key']} needs aliases in both scripts"


def test_questions_point_at_existing_claims_and_sources(corpus):
    ids = [q["id"] for q in corpus.questions]
    assert len(ids) == len(set(ids))
    for q in corpus.questions:
        assert q["intent"] in INTENTS, q["id"]
        assert q["lang"] in ("ar", "en")
        if q["found"]:
            assert q.get("origin") in corpus.sources, q["id"]
            expected = corpus.expected(q)
            assert expected, f"{q['id']}: no claim for group/claim"
            assert q.get("chain") or q.get("chains"), f"{q['id']}: spell out the expected chain"
            chains = corpus.expected_chains(q)
            assert chains, f"{q['id']}: no expected claim starts at {q['origin']}"
            derived = {tuple(c.chain) for c in expected if c.chain[0] == q["origin"]}
            assert all(tuple(chain) in derived for chain in chains), f"{q['id']}: a chain no expected claim has"
            for chain in chains:
                assert chain[0] == q["origin"] and all(k in corpus.sources for k in chain)
            if q.get("relayer"):
                assert any(q["relayer"] in chain[1:-1] for chain in chains) or any(
                    q["relayer"] in c.chain[1:-1] for c in expected
                ), q["id"]
            if q.get("speaker"):
                assert q["speaker"] in corpus.sources
        else:
            assert q.get("near") in corpus.claims, f"{q['id']}: an unanswerable question names the claim it imitates"


def test_split_covers_everything_by_article(corpus):
    splits = corpus.splits
    assert set(splits["articles"]) == set(corpus.annotations)
    assert set(splits["questions"]) == {q["id"] for q in corpus.questions}
    assert set(splits["articles"].values()) | set(splits["questions"].values()) <= {"dev", "test"}
    by_file = {ann["file"]: stem for stem, ann in corpus.annotations.items()}
    for q in corpus.questions:
        split = splits["questions"][q["id"]]
        claims = corpus.expected(q) if q["found"] else [corpus.claims[q["near"]]]
        for c in claims:
            assert splits["articles"][by_file[c.file]] == split, f"{q['id']} is about a {c.file} of another split"
    # a claim group never crosses splits
    group_splits: dict[str, set[str]] = {}
    for c in corpus.claims.values():
        if c.group:
            group_splits.setdefault(c.group, set()).add(splits["articles"][by_file[c.file]])
    assert all(len(v) == 1 for v in group_splits.values())


def test_question_mix(corpus):
    qs = corpus.questions
    assert len(qs) >= 80
    cross = sum(corpus.cross_lingual(q) for q in qs)
    unanswerable = sum(not q["found"] for q in qs)
    assert cross / len(qs) >= 0.30, cross
    assert unanswerable / len(qs) >= 0.25, unanswerable
    assert {q["intent"] for q in qs} == INTENTS
    for split in ("dev", "test"):
        part = corpus.split_questions(split)
        assert part, split
        assert sum(corpus.cross_lingual(q) for q in part) / len(part) >= 0.25
        assert sum(not q["found"] for q in part) / len(part) >= 0.2


def test_corpus_size_and_languages(corpus):
    langs = Counter(ann["lang"] for ann in corpus.annotations.values())
    assert langs["ar"] >= 12 and langs["en"] >= 12
    for stem in corpus.annotations:
        words = len(corpus.article_text(stem).split())
        assert 150 <= words <= 350, (stem, words)
    # translation hops in both directions
    directions = set()
    for ann in corpus.annotations.values():
        for e in ann["claims"]:
            last = e["hops"][-1]
            if last["relation"] == "translated":
                directions.add((e["hops"][0]["lang"], last["lang"]))
    assert ("ar", "en") in directions and ("en", "ar") in directions


def test_judge_scores_origin_chain_and_refusals(db, monkeypatch, corpus):
    """The held-out judge on both databases: the right claim with its own chain is right, the
    right origin with another document's chain is not, answering an unanswerable is a false
    answer, answering nothing is a miss. ``ask`` is replaced by canned answers."""
    from sqlalchemy import select

    from claims import qa_eval
    from claims.db import session_factory
    from claims.models import Claim
    from claims.provenance import provenance
    from claims.schemas import Answer, AskOut

    monkeypatch.setenv("CLAIMS_EMBEDDINGS", "off")  # the judge is under test, not retrieval
    qa_eval.load_curated(db, ROOT)
    canned = {
        "q013": "h04-output-quote",  # right group, origin and chain
        "q014": "h03-source-losses",  # right origin, but the chain of h03, not the expected h04 chain
        "q009": "h01-saree-targeted-accurately",  # unanswerable question answered: false answer
        "q034": None,  # answerable question answered with nothing: a miss
    }

    def fake_ask(session, question, **_):
        key = canned[next(q["id"] for q in corpus.questions if q["q"] == question)]
        if key is None:
            return AskOut(question=question, found=False, intent="who_said", lang="en", answers=[])
        claim = session.scalar(select(Claim).where(Claim.key == key))
        answer = Answer(**provenance(session, claim).model_dump(), confidence=0.9)
        return AskOut(question=question, found=True, intent="who_said", lang="en", answers=[answer])

    monkeypatch.setattr(qa_eval, "ask_function", lambda: fake_ask)
    questions = [q for q in corpus.questions if q["id"] in canned]
    score = qa_eval.judge(db, corpus, questions, by_key=True)
    by_id = {j.question["id"]: j for j in score.judgements}
    assert by_id["q013"].correct
    assert by_id["q014"].claim_ok and by_id["q014"].origin_ok and not by_id["q014"].chain_ok and not by_id["q014"].correct
    assert by_id["q014"].correct_origin
    assert by_id["q009"].found and not by_id["q009"].correct
    assert not by_id["q034"].found and not by_id["q034"].correct
    summary = score.summary(corpus)
    assert summary["false_answers"] == 1 and summary["top1_origin_chain"] == 1 and summary["answerable"] == 3
    high = next(r for r in summary["confidence_table"] if r["bucket"] == "0.8-1.0")
    assert high["answers"] == 3 and high["share_correct"] == round(1 / 3, 4)
    with session_factory(db)() as s:
        assert s.scalar(select(Claim).where(Claim.key == "h24-member-gunmen")) is not None


def test_attribution_export_per_split(tmp_path, corpus):
    """`bench/heldout.py --export-attribution` writes one `claims eval attribution` file per split,
    split by article; the Arabic gold set has at least 30 articles."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("heldout_bench", ROOT.parent / "heldout.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    written = bench.export_attribution(tmp_path)
    ids = {}
    arabic = 0
    for split in ("dev", "test"):
        records = [json.loads(line) for line in (tmp_path / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(records) == written[split] == len(corpus.articles(split))
        for r in records:
            assert r["split"] == split and r["outlet"]
            ids[r["id"]] = split
            arabic += r["lang"] == "ar"
            for a in r["attributions"]:
                s, e = a["content_span"]
                assert r["text"][s:e] == a["content"]
                if a["speaker_span"]:
                    s, e = a["speaker_span"]
                    assert r["text"][s:e] == a["speaker"]
    assert len(ids) == len(corpus.annotations)
    assert arabic >= 30


ARABIC_CUES = ("قال", "أكد", "أضاف", "أشار", "ذكر", "أورد", "كشف", "صرّح", "ادعى", "ألمح", "نفى", "حذر",
               "بحسب", "وفق", "نقلاً عن", "حسب", "أفادت", "نُقل عن", "«")


def test_arabic_gold_set_exercises_the_attribution_forms(corpus):
    """Every reporting verb, source preposition, passive form and «» quote the gold set is meant to
    exercise occurs in an annotated Arabic cue or evidence string."""
    annotated = " ".join(
        f"{h.get('cue') or ''} {h.get('evidence') or ''} {e['text']}"
        for ann in corpus.annotations.values()
        if ann["lang"] == "ar"
        for e in ann["claims"]
        for h in e["hops"]
    )
    assert [w for w in ARABIC_CUES if w not in annotated] == []
