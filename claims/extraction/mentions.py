"""Who is who inside one document: noun phrases that name a speaker become ``Mention``s, and
later references to the same source (a surname, the title alone, "the source", "the report",
a pronoun) are resolved to the mention already made. A title followed by a name
("وزير الدفاع العراقي ثابت العباسي", "Iraqi Defense Minister Thabet al-Abbasi") attaches the
title to the named person, so the title alone later means that person."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from claims.extraction.descriptions import describe
from claims.extraction.lexicon import PLACE_HEADS, TITLE_PREPOSITIONS, Lexicon, is_given_name
from claims.extraction.model import Mention, Span
from claims.text import fold as _fold
from claims.text import stem
from claims.vocabulary import SourceKind


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    return _fold(text)


_PUNCT = "\"“”«»'()[]{},،.:؛;!?؟…-–—"
_EN_DETERMINERS = frozenset(["the", "a", "an", "another", "one", "two", "three", "some", "several", "many", "other", "senior", "top"])
_EN_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "his", "her"])
_NAME_LINKS = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "abu", "abdul", "da", "di", "le", "la"})


def _not_a_name(word: str) -> bool:
    """A lone Arabic word after a title that is unlikely to be a surname: a verbal noun of the
    تفعيل/تفعّل patterns (تحول, تقديم) or a feminine noun in ة (نهاية)."""
    return (word.startswith("ت") and len(word) >= 4) or word.endswith("ه")


_QUOTE_MARKS = re.compile(r"[\"“”«»]")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[^\W_]+")
_AR_WORDS = re.compile(r"[^\s،,.:؛\"“”«»()]+|[،,.:؛\"“”«»()]")
_EN_APPOSITION = re.compile(r"(?:[A-Z][\w’'.-]*[ \t]+){1,9}(?:(?:al|el|bin|ibn|de)-?[ \t]*)?[A-Z][\w’'-]+")


@lru_cache(maxsize=100_000)
def clean(surface: str) -> str:
    s = surface.strip().strip(_PUNCT + " ")
    s = _QUOTE_MARKS.sub("", s)
    return _SPACES.sub(" ", s).strip()


def _strip_article(word: str) -> str:
    word = re.sub(r"^(?:al|el)-", "", word)
    if len(word) > 4 and word.startswith("ال"):
        return word[2:]
    return word


@lru_cache(maxsize=100_000)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(_strip_article(w) for w in fold(name).replace("-", " ").split() if w not in {"al", "el", "the"})


@lru_cache(maxsize=100_000)
def _name_set(name: str) -> frozenset[str]:
    return frozenset(_name_tokens(name))


@lru_cache(maxsize=100_000)
def _name_info(name: str) -> tuple[tuple[str, ...], frozenset[str], str]:
    """A stored name's tokens, their set and its folded form (one cached look-up for all three)."""
    return _name_tokens(name), _name_set(name), fold(name)


@lru_cache(maxsize=100_000)
def _role_key(role: str) -> frozenset[str]:
    return frozenset(stem(_strip_article(w)) for w in _WORDS.findall(fold(role)) if w not in {"the", "of", "a", "an"})


class Registry:
    """The document's mentions, with the rules that decide whether a phrase is a new one."""

    def __init__(self, lex: Lexicon, lang: str) -> None:
        self.lex = lex
        self.lang = lang
        self.mentions: list[Mention] = []
        self.last_speaker: Mention | None = None
        self.last_person: Mention | None = None
        self.statement_issuer: Mention | None = None  # who issued the statement "البيان" refers back to
        self.countries = list  # () -> entity ids the document names, most often first

    # ------------------------------------------------------------------ classification
    def kind_of(self, phrase: str, *, has_name: bool) -> SourceKind:
        words = _WORDS.findall(fold(phrase))
        if not words:
            return SourceKind.PERSON
        lex = self.lex
        first = words[0]
        if self.lang == "en":
            while words and words[0] in _EN_DETERMINERS:
                words = words[1:]
            first = words[0] if words else first
        bare = [w[1:] if len(w) > 3 and w[0] in "لبو" and w[1:].startswith("ال") else w for w in words]
        if first in lex.anonymous_heads or (bare and bare[0] in lex.anonymous_heads):
            return SourceKind.ANONYMOUS
        if first in lex.role_heads:
            return SourceKind.PERSON
        for kind_name in ("agency", "outlet", "document", "government", "organisation"):
            heads = lex.kind_heads.get(kind_name, frozenset())
            probe = bare[:2] if self.lang == "ar" else bare
            if any(w in heads for w in probe):
                if kind_name == "government" and has_name and self.lang == "en":
                    continue
                return SourceKind(kind_name)
        return SourceKind.PERSON

    def split_role(self, phrase: str) -> tuple[str | None, str | None]:
        """(role, name) of a noun phrase; either may be None."""
        words = phrase.split()
        if not words:
            return None, None
        lex = self.lex
        if self.lang == "ar":
            if fold(words[0]) not in lex.role_heads:
                return None, phrase
            i = 1
            while i < len(words):
                w = fold(words[i])
                if w.startswith(("ال", "وال")) or w in {"لدي", "عام", "باسم", "باسمها", "باسمه", "باسمهم"} or (i > 0 and fold(words[i - 1]) in {"لدي", "باسم"}) or (fold(words[i - 1]) in PLACE_HEADS and not self._given(words[i])) or (w in self._org_heads and i + 1 < len(words) and fold(words[i + 1]).startswith("ال")):
                    # ("وكيل وزارة المالية | أسامة ...": the ministry is the title's genitive)
                    i += 1
                    continue
                if w.startswith("لل") and len(w) > 4 and i + 1 < len(words):
                    i += 1  # "رئيس المنظمة التونسية للأطباء الشبان | وجيه ذكار": the title's genitive
                    continue
                if w.startswith("ل") and not w.startswith("لل") and len(w) > 3 and i + 1 < len(words):
                    # "وزير الدولة لشؤون الطاقة", "المدير العام لمجمع سوناطراك": the title's genitive
                    i += 1 if fold(words[i + 1]).startswith("ال") else 2
                    continue
                break
            after_prep = i > 0 and fold(words[i - 1]) in TITLE_PREPOSITIONS  # "إلى منطقة ...": the preposition's object
            if i < len(words) and not self._given(words[i]) and (after_prep or fold(words[i]).startswith(("بال", "لل")) or fold(words[i]) in TITLE_PREPOSITIONS):
                # "المبعوثة الأممية بالإنابة | ستيفاني خوري": the title's phrase runs on to a given name
                given = next((g for g in range(i + 1, len(words)) if self._given(words[g])), None)
                if given is not None:
                    i = given
            role = " ".join(words[:i])
            name = " ".join(words[i:]) or None
            return role, name
        # English: the last title word splits the title from the name ("Defense Minister | X Y")
        idx = None
        for i, w in enumerate(words):
            if fold(w.strip(_PUNCT)) in lex.role_heads:
                idx = i
        if idx is None:
            return None, phrase
        rest = words[idx + 1 :]
        if rest and (rest[0].lower() in {"of", "for", "at", "to", "in"} or not rest[0][:1].isupper()):
            return phrase, None
        role = " ".join(words[: idx + 1])
        name = " ".join(rest) or None
        return role, name

    @cached_property
    def _org_heads(self) -> frozenset[str]:
        """Heads of organisation-like titles, worked out once per document (asked per word)."""
        kinds = self.lex.kind_heads
        return frozenset().union(*(kinds.get(k, frozenset()) for k in ("government", "organisation", "agency", "outlet")))

    def _given(self, word: str) -> bool:
        surface = word.strip(_PUNCT)
        return is_given_name(self.lex, fold(surface), surface)

    # ------------------------------------------------------------------ look-up
    def _match_name(self, name: str) -> Mention | None:
        toks = _name_tokens(name)
        if not toks:
            return None
        best = None
        tset = _name_set(name)
        folded = fold(name)
        anonymous = SourceKind.ANONYMOUS
        for m in reversed(self.mentions):
            if m.kind == anonymous:
                continue
            for other in m.names:
                otoks, oset, ofolded = _name_info(other)
                if not otoks:
                    continue
                if len(toks) <= len(otoks):
                    small, big, subset = toks, otoks, tset <= oset
                else:
                    small, big, subset = otoks, toks, oset <= tset
                if subset and (small[-1] == big[-1] or len(small) >= 2):
                    return m
                if ofolded == folded:
                    best = m
        return best

    def _match_role(self, role: str) -> Mention | None:
        key = _role_key(role)
        if not key:
            return None
        for m in reversed(self.mentions):
            for r in m.roles:
                rk = _role_key(r)
                if key == rk or (key <= rk and (len(key) >= 2 or m.names)) or (len(rk) >= 2 and rk <= key and m.names):
                    return m
                common = len(key & rk)
                if common >= 2 and common / min(len(key), len(rk)) >= 0.74:
                    return m
        return None

    def _anaphor(self, phrase: str) -> Mention | None:
        f = fold(phrase)
        words = f.split()
        lex = self.lex
        if self.lang == "en":
            if f in _EN_PRONOUNS:
                return self.last_person if f not in {"it", "they"} else (self.last_speaker or self.last_person)
            if words and words[0] == "the" and len(words) <= 3:
                head = words[-1]
                if head in lex.report_nouns or head in lex.statement_nouns:
                    return self.latest(report=True, noun=head)
                if head in lex.anonymous_heads or head.rstrip("s") in lex.anonymous_heads:
                    for m in reversed(self.mentions):
                        if m.kind == SourceKind.ANONYMOUS and any(head.rstrip("s") in fold(n) for n in m.all_forms()):
                            return m
            return None
        if len(words) <= 2 and words:
            head = words[0]
            if head in lex.report_nouns or head in lex.statement_nouns:
                return self.latest(report=True, noun=head)
            if head.startswith("ال") and head[2:] in lex.anonymous_heads:
                for m in reversed(self.mentions):
                    if m.kind == SourceKind.ANONYMOUS and any(head[2:] in fold(n) for n in m.all_forms()):
                        return m
            if len(words) == 1 and head.startswith("ال") and head[2:] in self._org_heads:
                # "ولفتت الوزارة", "وأضافت الوكالة": the organisation of that kind named last
                for m in reversed(self.mentions):
                    if m.kind not in (SourceKind.PERSON, SourceKind.ANONYMOUS) and any(fold(n).split()[:1] == [head[2:]] for n in m.names):
                        return m
        return None

    def latest(self, *, report: bool = False, noun: str | None = None) -> Mention | None:
        statement = noun is not None and noun in self.lex.statement_nouns
        for m in reversed(self.mentions):
            if report and m.report:
                is_statement = m.kind == SourceKind.DOCUMENT
                if noun is None or statement == is_statement:
                    return m
        return None

    # ------------------------------------------------------------------ registration
    def get(self, surface: str, span: Span | None, *, kind: SourceKind | None = None, speaker: bool = True) -> Mention:
        phrase = clean(surface)
        found = self._anaphor(phrase)
        role, name = self.split_role(phrase)
        if found is None and name:
            found = self._match_name(name)
        if found is None and role and not name:
            found = self._match_role(role)
        if found is None:
            folded = fold(phrase)
            for m in self.mentions:
                if folded in map(fold, m.names) or folded in map(fold, m.roles):
                    found = m
                    break
        described = None
        if found is None and (kind is None or kind != SourceKind.PERSON):
            described = describe(phrase, self.countries)
            if described is not None:
                for m in self.mentions:  # the same described source named again
                    if set(described[0]) & set(m.names):
                        found = m
                        break
        if found is None:
            resolved_kind = described[1] if described else kind or self.kind_of(phrase, has_name=bool(name))
            if resolved_kind != SourceKind.PERSON:
                role, name = None, phrase
            found = Mention(id=len(self.mentions), kind=resolved_kind, lang=self.lang, report=resolved_kind == SourceKind.DOCUMENT)
            if role and resolved_kind == SourceKind.PERSON:
                found.roles.append(role)
            if described is not None:
                found.names.extend(described[0])  # "the London-based monitor" is the Observatory
                found.roles.append(phrase)
                name = None
            self.mentions.append(found)
        else:
            if role and role not in found.roles and found.kind == SourceKind.PERSON:
                found.roles.append(role)
        pronoun = found.kind == SourceKind.PERSON and fold(name or "") in _EN_PRONOUNS
        if name and name not in found.names and not self._anaphor(phrase) and not pronoun:
            found.names.append(name)
        if role and not name and role not in found.roles and not found.roles and not found.names:
            found.roles.append(role)
        if span is not None:
            found.spans.append(span)
        if speaker:
            self.last_speaker = found
        if found.kind == SourceKind.PERSON and (found.names or found.roles):
            self.last_person = found
        return found

    def add_appositions(self, text: str) -> None:
        """Pre-register "title + name" phrases found anywhere in the text (not only speakers)."""
        if self.lang == "ar":
            toks = [(m.start(), m.end()) for m in _AR_WORDS.finditer(text)]
            ft = [fold(text[a:b]) for a, b in toks]  # each token folded once
            heads = self.lex.role_heads
            stops, participles = self.lex.np_stops, self.lex.participles
            openers = ("ال", "بال", "لل", "وال", *self.lex.recipient_media)
            n = len(toks)
            i = 0
            # only a title word ("وزير", "والوزير") can open a title + name phrase
            for c in [c for c, w in enumerate(ft) if w in heads or (w.startswith("و") and w[1:] in heads)]:
                if c < i:
                    continue
                i = c
                j = i + 1
                while j < n and (ft[j].startswith("ال") or ft[j] in {"لدي", "باسمه", "باسمها", "باسمهم"} or ft[j - 1] == "لدي"):
                    j += 1
                k = j
                while k < n and k - j < 5:
                    t = ft[k]
                    if t in "،,.:؛\"“”«»()" or t in stops or t in participles or t.startswith(openers):
                        break
                    if t.startswith("و") and t[1:] in heads:
                        break  # "وزير الصحة ووزير العمل": a second title, not a name
                    k += 1
                if k < n and k > j:
                    t = ft[k]
                    if t.startswith("ال") and t.endswith("ي") and t not in stops:
                        k += 1
                if k == j + 1 and _not_a_name(ft[j]):
                    k = j  # "الرئيس الأمريكي تحول القوات": a verbal noun, not a surname
                if k > j and j > i + 1:
                    first = toks[i][0] + (1 if ft[i].startswith("و") and ft[i][1:] in heads else 0)
                    span = (first, toks[k - 1][1])
                    self.get(text[span[0] : span[1]], None, kind=SourceKind.PERSON, speaker=False)
                i = max(k, i + 1)
            return
        # English: a run of capitalised words containing a title word, followed by a name
        for m in _EN_APPOSITION.finditer(text):
            phrase = m.group()
            role, name = self.split_role(phrase)
            if role and name and len(name.split()) <= 5:
                self.get(phrase, None, kind=SourceKind.PERSON, speaker=False)
