"""Train the English attribution model (cue tagger + cue-anchored role tagger, CRFs) on a
PolNeAR-format JSONL file and write it, with its manifest, to a model directory.

    nice -n 10 .venv/bin/python -m claims.extraction.training.train \\
        --train ../shared/evaldata/polnear/train.jsonl --dev ../shared/evaldata/polnear/dev.jsonl \\
        --out claims/extraction/models/attribution-en

Deterministic: records are read in file order, CRFsuite's L-BFGS has no random state, and the
seed fixes the only sampling (``--limit``); the same inputs give the same model files.
The dev split is only scored (with ``claims.evaluation.evaluate``), never trained on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claims.extraction.training import features as F

VERSION = "1.2.0"
MODEL_NAME = "attribution-en-crf"
CUE_FILE = "cue.crfsuite"
ROLE_FILE = "role.crfsuite"
LEXICON_FILE = "cue_rates.json"
MANIFEST_FILE = "manifest.json"
DEFAULT_PARAMS = {"c1": 1.0, "c2": 0.01, "max_iterations": 120, "feature.minfreq": 3, "feature.possible_transitions": True}
#: the role tagger's L1 weight (chosen on dev with the cue tagger's: c1 1.0 beat 0.2 on both
#: taggers and shrank the files about threefold; see the manifest for the measured scores)
DEFAULT_ROLE_C1 = 1.5
#: cue decoding threshold on P(B) + P(I) (chosen on dev: 0.4 gave cue F1 overlap 0.760 against
#: 0.746 for the Viterbi path, at 0.651 exact against 0.664); None decodes the Viterbi path
DEFAULT_CUE_THRESHOLD = 0.4
#: content for a cue whose role labels give none: the likeliest content token's run while
#: P(BC) + P(IC) >= this (chosen on dev: 0.1 gave cue F1 overlap 0.763 against 0.758 with no
#: content, such cues dropped, speaker 0.770 against 0.766, content 0.844 against 0.841)
DEFAULT_CONTENT_THRESHOLD = 0.1
#: the cue lexicon the cue tagger's training features see is learned out of fold, in 5 folds of
#: articles (see out_of_fold_rates; 1.2.0 with it and the wider cue features: PolNeAR dev cue F1
#: overlap 0.763 -> 0.767, speaker 0.770 -> 0.776, see the manifest)
DEFAULT_OOF_FOLDS = 5


def read_records(path: Path, *, primary_only: bool, limit: int | None = None, seed: int = 13) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                if primary_only and not r.get("primary", True):
                    continue
                records.append(r)
    if limit is not None and limit < len(records):
        rng = random.Random(seed)
        records = sorted(rng.sample(records, limit), key=lambda r: str(r.get("id")))
    return records


def rule_triples(text: str) -> list[tuple[F.Span | None, F.Span | None, F.Span | None]]:
    """The rule pipeline's attributed claims as (speaker, cue, content) spans: model features."""
    from claims.extraction.pipeline import extract_rules

    ex = extract_rules(text, lang="en")
    return [(c.hops[0].speaker_span, c.hops[0].cue_span, (c.start, c.end)) for c in ex.claims if c.attributed]


def cue_rates(records: list[dict[str, Any]], *, min_count: int = 3) -> dict[str, float]:
    """P(token is part of a cue | word), from the training annotations."""
    total: Counter[str] = Counter()
    as_cue: Counter[str] = Counter()
    for r in records:
        doc = F.tokenize(r["text"])
        total.update(doc.words)
        for a in r.get("attributions") or []:
            for frag in a.get("cue_frags") or ([a["cue_span"]] if a.get("cue_span") else []):
                ta, tb = doc.token_range(tuple(frag))
                as_cue.update(doc.words[ta:tb])
    return {w: round(as_cue[w] / total[w], 3) for w in sorted(as_cue) if total[w] >= min_count and as_cue[w] / total[w] >= 0.05}


def out_of_fold_rates(records: list[dict[str, Any]], folds: int, seed: int) -> dict[str, tuple[int, dict[str, float]]]:
    """The cue lexicon each training text's features see: learned from the other folds' articles
    (every annotator's record of one article in the same fold), so a word's cue rate in training
    does not count the text itself, as it cannot at inference on a new text. Text -> (fold, rates)."""
    texts = sorted({r["text"] for r in records})
    random.Random(seed).shuffle(texts)
    fold_of = {t: k % folds for k, t in enumerate(texts)}
    by_fold = [cue_rates([r for r in records if fold_of[r["text"]] != k]) for k in range(folds)]
    return {t: (k, by_fold[k]) for t, k in fold_of.items()}


def prepare(text: str, rates: dict[str, float], rule_cues: frozenset[str], rules: list | None = None) -> F.DocTokens:
    doc = F.tokenize(text)
    F.rule_marks(doc, rules if rules is not None else rule_triples(text))
    F.base_features(doc, rates, rule_cues)
    return doc


def rule_cue_words() -> frozenset[str]:
    from claims.extraction.lexicon import load

    lex = load("en")
    words = set()
    for phrase in list(lex.cue_verbs) + list(lex.according) + list(lex.participles) + list(lex.expressive):
        words.update(phrase.split())
    return frozenset(words)


def gold_examples(doc: F.DocTokens, attributions: list[dict[str, Any]]):
    """Cue labels per sentence and (cue tokens, window, role labels) per attribution."""
    cue_labels = ["O"] * len(doc.words)
    roles = []
    for a in attributions:
        frags = a.get("cue_frags") or ([a["cue_span"]] if a.get("cue_span") else [])
        if not frags:
            continue
        for frag in frags:
            ta, tb = doc.token_range(tuple(frag))
            for i in range(ta, tb):
                cue_labels[i] = "B" if i == ta else "I"
        ca, cb = doc.token_range(tuple(a["cue_span"]))
        if cb <= ca:
            continue
        window = F.role_window(doc, (ca, cb))
        labels = ["O"] * (window[1] - window[0])

        def mark(spans, b_lab, i_lab, labels=labels, window=window):
            for frag in spans:
                ta, tb = doc.token_range(tuple(frag))
                for i in range(max(ta, window[0]), min(tb, window[1])):
                    labels[i - window[0]] = b_lab if i == ta else i_lab

        mark(a.get("content_frags") or ([a["content_span"]] if a.get("content_span") else []), "BC", "IC")
        mark(a.get("speaker_frags") or ([a["speaker_span"]] if a.get("speaker_span") else []), "BS", "IS")
        for frag in frags:
            ta, tb = doc.token_range(tuple(frag))
            for i in range(max(ta, window[0]), min(tb, window[1])):
                labels[i - window[0]] = "K"
        roles.append(((ca, cb), window, labels))
    seqs = [cue_labels[a:b] for a, b in doc.sent_bounds]
    return seqs, roles


def train(
    train_path: Path,
    out: Path,
    *,
    dev_path: Path | None,
    primary_only: bool,
    limit: int | None,
    seed: int,
    params: dict[str, Any],
    role_params: dict[str, Any] | None = None,
    oof_folds: int = 0,
    only: str | None = None,
    cue_threshold: float | None = DEFAULT_CUE_THRESHOLD,
    content_threshold: float | None = DEFAULT_CONTENT_THRESHOLD,
    log=print,
    jobs: int = 2,
) -> dict[str, Any]:
    import pycrfsuite

    random.seed(seed)
    t0 = time.time()
    records = read_records(train_path, primary_only=primary_only, limit=limit, seed=seed)
    rates = cue_rates(records)
    rule_cues = rule_cue_words()
    parts = ("cue", "role") if only is None else (only,)
    previous = _previous_manifest(out) if only is not None else {}
    if only is not None and not (out / (ROLE_FILE if only == "cue" else CUE_FILE)).exists():
        raise FileNotFoundError(f"--only {only} keeps the other tagger's file in {out}, and there is none")
    kept = previous.get("data", {})
    if previous and (kept.get("train_sha256"), kept.get("records"), kept.get("primary_only")) != (hashlib.sha256(train_path.read_bytes()).hexdigest(), len(records), primary_only):
        raise ValueError(f"--only {only}: the kept tagger in {out} was trained on other data (its cue lexicon would change under it)")
    rules_of: dict[str, list] = {}

    def rules_for(text: str) -> list:
        if text not in rules_of:
            rules_of[text] = rule_triples(text)
        return rules_of[text]

    cue_trainer = pycrfsuite.Trainer(verbose=False)
    role_trainer = pycrfsuite.Trainer(verbose=False)
    n_roles = 0
    # the cue tagger's features see a cue lexicon learned out of fold (see out_of_fold_rates);
    # the role tagger's the lexicon of all the training data, as before
    text_rates = out_of_fold_rates(records, oof_folds, seed) if oof_folds > 1 else {}
    # (a fold's records together: the per-word feature cache is kept per lexicon)
    for r in sorted(records, key=lambda r: text_rates[r["text"]][0]) if text_rates else records:
        doc = prepare(r["text"], text_rates[r["text"]][1] if text_rates else rates, rule_cues, rules_for(r["text"]))
        seqs, roles = gold_examples(doc, r.get("attributions") or [])
        n_roles += len(roles)
        if "cue" in parts:
            for xseq, yseq in zip(F.cue_sequences(doc), seqs, strict=True):
                cue_trainer.append(xseq, yseq)
        if "role" in parts and not text_rates:
            for cue, window, labels in roles:
                role_trainer.append(F.role_features(doc, cue, window), labels)
    if "role" in parts and text_rates:
        for r in records:
            doc = prepare(r["text"], rates, rule_cues, rules_for(r["text"]))
            for cue, window, labels in gold_examples(doc, r.get("attributions") or [])[1]:
                role_trainer.append(F.role_features(doc, cue, window), labels)
    log(f"features for {len(records)} records, {n_roles} attributions in {time.time() - t0:.0f}s")
    out.mkdir(parents=True, exist_ok=True)
    t1 = time.time()
    role_params = dict(params, **(role_params or {})) if "role" in parts else previous.get("role_params")
    if "cue" not in parts:
        params = previous.get("params")
    jobs_ = []
    if "cue" in parts:
        cue_trainer.set_params(params)
        jobs_.append((cue_trainer, out / CUE_FILE))
    if "role" in parts:
        role_trainer.set_params(role_params)
        jobs_.append((role_trainer, out / ROLE_FILE))
    _train_both(jobs_, parallel=jobs > 1 and len(jobs_) > 1)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    log(f"trained {', '.join(p.name for _, p in jobs_)} in {time.time() - t1:.0f}s")
    trained_parts = dict(previous.get("trained_parts") or {"cue": previous.get("trained"), "role": previous.get("trained")}) if previous else {}
    trained_parts.update({part: now for part in parts})
    (out / LEXICON_FILE).write_text(json.dumps(rates, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    manifest: dict[str, Any] = {
        "name": MODEL_NAME,
        "version": VERSION,
        "lang": "en",
        "method": "two CRFs (python-crfsuite, L-BFGS with L1/L2): a cue tagger per sentence (decoded by marginal threshold) and a cue-anchored speaker/content tagger over the cue's sentence and the next (content from marginals where its labels give none); rule-pipeline frames, cue lexicon (learned out of fold for the cue tagger's training features), quotes, context flags and position relative to the cue as features; the rules decide joint statements, relays, 'according to' frames and resolved speakers, and are the fallback",
        "trained": now,
        "trained_parts": trained_parts,
        "data": {
            "train": train_path.name,
            "corpus": "PolNeAR (networkdynamics/PolNeAR), brat attributions converted to JSONL; no licence stated",
            "train_sha256": hashlib.sha256(train_path.read_bytes()).hexdigest(),
            "records": len(records),
            "primary_only": primary_only,
            "attributions": n_roles,
        },
        "seed": seed,
        "cue_rates_out_of_fold": (oof_folds if oof_folds > 1 else None) if "cue" in parts else previous.get("cue_rates_out_of_fold"),
        "params": params,
        "role_params": role_params,
        "cue_threshold": cue_threshold,
        "content_threshold": content_threshold,
        "files": {},
    }
    for name in (CUE_FILE, ROLE_FILE, LEXICON_FILE):
        manifest["files"][name] = {"bytes": (out / name).stat().st_size, "sha256": hashlib.sha256((out / name).read_bytes()).hexdigest()}
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if dev_path is not None:
        manifest = rescore(out, dev_path, log=log)
    return manifest


def _previous_manifest(out: Path) -> dict[str, Any]:
    path = out / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _train_both(jobs: list, *, parallel: bool) -> None:
    """Train each (trainer, path); with ``parallel``, in forked processes at the same time (the
    two CRFs are independent and L-BFGS is deterministic, so the files are the same)."""
    import multiprocessing

    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        for trainer, path in jobs:
            trainer.train(str(path))
        return
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=trainer.train, args=(str(path),)) for trainer, path in jobs]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    failed = [str(path) for (_, path), p in zip(jobs, procs, strict=True) if p.exitcode != 0 or not path.exists()]
    if failed:
        raise RuntimeError(f"training failed for {failed}")


def rescore(out: Path, dev_path: Path, *, log=print) -> dict[str, Any]:
    """Score the model in ``out`` on a dev file with the pipeline and store it in the manifest."""
    from claims.evaluation import evaluate
    from claims.extraction import learned

    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    before = os.environ.get(learned.ENV_VAR)
    os.environ[learned.ENV_VAR] = str(out)
    learned.reset()
    t1 = time.time()
    try:
        result = evaluate(dev_path)
    finally:
        if before is None:
            os.environ.pop(learned.ENV_VAR, None)
        else:
            os.environ[learned.ENV_VAR] = before
        learned.reset()
    manifest["dev"] = {
        "file": dev_path.name,
        "command": f"claims eval attribution {dev_path.name} --json",
        "scored": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "speaker": result["speaker"],
        "cue": result["cue"],
        "content": result["content"],
        "n_docs": result["n_docs"],
    }
    log(f"dev in {time.time() - t1:.0f}s: " + json.dumps({k: manifest["dev"][k] for k in ("speaker", "cue", "content")}))
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, help="PolNeAR-format JSONL to train on")
    parser.add_argument("--dev", type=Path, default=None, help="scored after training (never trained on)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--all-annotators", action="store_true", help="also train on non-primary annotators' records")
    parser.add_argument("--limit", type=int, default=None, help="train on a seeded sample of records")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    parser.add_argument("--cue-threshold", type=float, default=DEFAULT_CUE_THRESHOLD, help="cue decoding threshold on P(B)+P(I) (0: the Viterbi path)")
    parser.add_argument("--content-threshold", type=float, default=DEFAULT_CONTENT_THRESHOLD, help="content from marginals for a cue the role labels give none (negative: none)")
    parser.add_argument("--role-c1", type=float, default=DEFAULT_ROLE_C1, help="L1 weight of the role tagger (--c1 is the cue tagger's)")
    parser.add_argument("--oof-folds", type=int, default=DEFAULT_OOF_FOLDS, help="training features see cue rates learned from the other folds (0/1: from all the data)")
    parser.add_argument("--only", choices=["cue", "role"], default=None, help="train one tagger and keep the other's file (and its parameters) in --out")
    parser.add_argument("--iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    parser.add_argument("--jobs", type=int, default=2, help="train the two CRFs in parallel processes (1: one after the other)")
    parser.add_argument("--rescore", action="store_true", help="only score the model in --out on --dev (after a pipeline change)")
    args = parser.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    if args.rescore:
        if args.dev is None:
            parser.error("--rescore needs --dev")
        rescore(args.out, args.dev, log=log)
        return 0
    if args.train is None:
        parser.error("--train is required")
    params = dict(DEFAULT_PARAMS, c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    train(args.train, args.out, dev_path=args.dev, primary_only=not args.all_annotators, limit=args.limit, seed=args.seed, params=params, role_params={"c1": args.role_c1}, oof_folds=args.oof_folds, only=args.only, cue_threshold=args.cue_threshold or None, content_threshold=args.content_threshold if args.content_threshold >= 0 else None, log=log, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
