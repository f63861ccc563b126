"""Per-language lexicons, loaded once from ``lexicons/<lang>.yaml`` (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claims.text import fold
from claims.vocabulary import Modality, Relation
from claims.yamlfile import read_yaml

LEXICON_DIR = Path(__file__).parent / "lexicons"


def _alt(words, *, prefix: str = "", suffix: str = "") -> str:
    forms = sorted({fold(w) for w in words}, key=len, reverse=True)
    return prefix + "(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms) + ")" + suffix


@dataclass(frozen=True)
class Lexicon:
    lang: str
    cue_verbs: dict[str, tuple[Relation, Modality]]
    distancing: frozenset[str]
    participles: frozenset[str]
    complementisers: tuple[str, ...]
    according: tuple[str, ...]
    reportedly: tuple[str, ...]
    expressive: frozenset[str]
    report_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    translation_nouns: frozenset[str]
    anonymous_heads: frozenset[str]
    kind_heads: dict[str, frozenset[str]]
    generic_name_words: frozenset[str]
    role_heads: frozenset[str]
    participants: tuple[str, ...]
    np_stops: frozenset[str]
    nominal_objects: frozenset[str]
    recipient_media: frozenset[str]
    clause_openers: tuple[str, ...]
    relative_openers: frozenset[str]
    wire_agencies: frozenset[str]
    hedges: tuple[str, ...]
    qad: frozenset[str]
    denials: frozenset[str]
    opinion: tuple[str, ...]
    furniture: dict[str, tuple[re.Pattern, ...]]
    connectives: tuple[str, ...]
    concessives: tuple[str, ...]
    hedge_re: re.Pattern
    according_re: re.Pattern
    reportedly_re: re.Pattern
    opinion_re: re.Pattern | None
    given_names: frozenset[str] = frozenset()  # lexicons/<lang>_given_names.yaml, folded
    manner: frozenset[str] = frozenset()  # participles of manner after a cue ("مستدركاً"), not names


#: Prepositions (folded) a title's phrase may hold before the personal name it runs on to
#: ("المبعوث الخاص إلى السودان توم ...", "وكيل وزارة المالية لدى ...").
TITLE_PREPOSITIONS = frozenset({"في", "الي", "علي", "من", "لدي"})
# folded nouns whose genitive is a place's name ("حكومة إقليم كردستان", "ولاية نهر النيل"), inside a title
PLACE_HEADS = frozenset({"اقليم", "حكومه", "دوله", "جمهوريه", "مملكه", "سلطنه", "اماره", "ولايه", "محافظه", "بلديه", "عاصمه"})


def is_given_name(lex: Lexicon, folded: str, surface: str) -> bool:
    """A common given name (``lexicons/<lang>_given_names.yaml``); علي only when written with
    ya (folding merges the preposition على with the name علي)."""
    return folded in lex.given_names and (folded != "علي" or surface.endswith("ي"))

def _folded(items) -> tuple[str, ...]:
    return tuple(fold(i) for i in items or [])


@lru_cache(maxsize=4)
def load(lang: str) -> Lexicon:
    data = read_yaml(LEXICON_DIR / f"{'ar' if lang == 'ar' else 'en'}.yaml")
    mod = data["modality"]
    names_file = LEXICON_DIR / f"{'ar' if lang == 'ar' else 'en'}_given_names.yaml"
    given = read_yaml(names_file) if names_file.exists() else {}
    boundary_l = r"(?<![\w])"
    boundary_r = r"(?![\w])"
    return Lexicon(
        lang=lang,
        cue_verbs={fold(k): (Relation(v[0]), Modality(v[1])) for k, v in data["cue_verbs"].items()},
        distancing=frozenset(_folded(data.get("distancing_verbs"))),
        participles=frozenset(_folded(data.get("participle_cues"))),
        complementisers=tuple(sorted(_folded(data.get("complementisers")), key=len, reverse=True)),
        according=tuple(sorted(_folded(data.get("according")), key=len, reverse=True)),
        reportedly=tuple(_folded(data.get("reportedly"))),
        expressive=frozenset(_folded(data.get("expressive_verbs"))),
        report_nouns=frozenset(_folded(data.get("report_nouns"))),
        statement_nouns=frozenset(_folded(data.get("statement_nouns"))),
        translation_nouns=frozenset(_folded(data.get("translation_nouns"))),
        anonymous_heads=frozenset(_folded(data.get("anonymous_heads"))),
        kind_heads={k: frozenset(_folded(v)) for k, v in (data.get("kind_heads") or {}).items()},
        generic_name_words=frozenset(_folded(data.get("generic_name_words"))),
        role_heads=frozenset(_folded(data.get("role_heads"))),
        participants=tuple(_folded(data.get("participant_subjects"))),
        np_stops=frozenset(_folded(data.get("np_stops"))),
        nominal_objects=frozenset(_folded(data.get("nominal_objects"))),
        recipient_media=frozenset(_folded(data.get("recipient_media"))),
        clause_openers=tuple(sorted(_folded(data.get("clause_openers")), key=len, reverse=True)),
        relative_openers=frozenset(_folded(data.get("relative_openers"))),
        wire_agencies=frozenset(_folded(data.get("wire_agencies"))),
        hedges=tuple(_folded(mod.get("hedges"))),
        qad=frozenset(_folded(mod.get("qad"))),
        denials=frozenset(_folded(mod.get("denials"))),
        opinion=tuple(_folded(mod.get("opinion"))),
        furniture={k: tuple(re.compile(p) for p in v) for k, v in data["furniture"].items()},
        connectives=tuple(fold(c) for c in data.get("connectives") or []),
        concessives=tuple(fold(c) for c in data.get("concessive_openers") or []),
        hedge_re=re.compile(_alt(mod.get("hedges"), prefix=boundary_l, suffix=boundary_r)),
        according_re=re.compile(_alt(data.get("according"), prefix=boundary_l, suffix=boundary_r)),
        reportedly_re=re.compile(_alt(data.get("reportedly"), prefix=boundary_l, suffix=boundary_r)),
        opinion_re=re.compile(_alt(mod.get("opinion"), prefix=boundary_l, suffix=boundary_r)) if mod.get("opinion") else None,
        given_names=frozenset(fold(n) for names in (given or {}).values() for n in names),
        manner=frozenset(_folded(data.get("manner_participles"))),
    )
