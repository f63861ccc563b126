"""``extract``: raw text in, claims with spans, chains and modality out (no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice

from claims.extraction import confidence as conf
from claims.extraction import furniture as furniture_mod
from claims.extraction.attribution import Frame, SentenceAttributor
from claims.extraction.descriptions import countries
from claims.extraction.lexicon import Lexicon, load
from claims.extraction.mentions import Registry
from claims.extraction.modality import content_modality, stance_for
from claims.extraction.model import ExtractedClaim, Extraction, Hop, Mention, Span
from claims.extraction.segmentation import Paragraph, paragraphs, sentences
from claims.text import detect_lang, fold, fold_with_offsets, fold_with_offsets_identity
from claims.vocabulary import Modality, Relation, SourceKind

_WORD = re.compile(r"[^\W\d_]{2,}")
_TRIM = " \t\n,،:؛;\"“”«»'"
_CORRESPONDENT = frozenset({"مراسل", "مراسله", "مراسلنا", "مراسلتنا", "correspondent", "our"})
_PRESS_RELEASE = re.compile(r"^(?:بيان صحفي|بيان اعلامي|بيان رسمي|بيان للصحافه|press release|news release|media release)\s*[:.]?$", re.I)
_SPEAKER_KINDS = ("verb", "verb-prodrop", "post", "participle", "expressive")
#: the same occasion as the statement before (folded): "في المقابلة نفسها", "في الحديث ذاته"
_SAME_OCCASION = re.compile(r"في (?:المقابله|الحديث|التصريحات|التصريح|البيان|الموتمر|اللقاء|الحوار|المداخله|المقال|التقرير) (?:نفسها|نفسه|ذاتها|ذاته)")
#: a transcript's speaker label opening a line ("الوزير سالم القماطي: ...", "بوخطوة: ...")
_AR_LABEL = re.compile(r"([^\W\d][^:：\n\d«»\"“”()]{1,40}?)\s*[:：]\s+(?=\S)")
#: the interviewer's labels (folded): a transcript line, but the question is no claim
_AR_HOST_LABELS = frozenset(fold(w) for w in ["المذيع", "المذيعة", "المقدم", "المقدمة", "المحاور", "المحاورة", "مقدم البرنامج", "مقدمة البرنامج", "سؤال", "س", "ج", "السؤال"])
#: first-person cues (folded): in an op-ed, their speaker is the author
_FIRST_PERSON_CUES = frozenset(fold(w) for w in ["أعتقد", "وأعتقد", "أرى", "وأرى", "أظن", "وأظن", "أزعم", "نعتقد", "ونعتقد", "نرى", "ونرى", "أؤكد"])
#: cues that continue the previous statement of the same speaker (folded)
_CONTINUATION_CUES = frozenset(fold(w) for w in ["أضاف", "وأضاف", "أضافت", "وأضافت", "تابع", "وتابع", "تابعت", "وتابعت", "أردف", "وأردف", "أردفت", "وأردفت", "استطرد", "واستطرد", "added", "adds", "continued"])


@dataclass
class _Unit:
    para: int
    start: int  # original offsets
    end: int
    fs: int  # folded offsets
    fe: int
    frames: list[Frame]
    heading: bool = False
    title: bool = False
    oped: bool = False


class _Doc:
    def __init__(self, text: str, lang: str, outlet: str | None, doc_key: str | None) -> None:
        self.text = text
        self.lang = lang
        self.lex: Lexicon = load(lang)
        self.F, offsets, identity = fold_with_offsets_identity(text)
        self.fmap = offsets[:-1]  # without the end sentinel: one original index per folded character
        if len(self.fmap) == len(text):
            self.inv = offsets if identity else list(range(len(text) + 1))  # (the identity either way)
        else:
            self.inv = [0] * (len(text) + 1)
            j = len(self.fmap)
            for o in range(len(text), -1, -1):
                while j > 0 and self.fmap[j - 1] >= o:
                    j -= 1
                self.inv[o] = j
        self.reg = Registry(self.lex, lang)
        self.reg.countries = _Countries(text)  # computed only when a description needs a country
        self.paras = paragraphs(text)
        self.fur = furniture_mod.detect(text, self.F, self.fmap, self.paras, self.lex, identity=identity)
        name = outlet or (self.fur.signature[0] if self.fur.signature else None) or f"Unidentified publisher ({doc_key or 'document'})"
        self.publisher = Mention(id=-1, kind=SourceKind.OUTLET, names=[name], publisher=True, lang=lang)
        if self.fur.signature and not outlet:
            self.publisher.spans.append(self.fur.signature[1])
        # the dateline names the publisher in the text's script ("طرابلس - بوابة طرابلس")
        self._own_names = {fold(n) for n in [*self.publisher.names, *self.fur.dateline_outlets]}
        self._own_names |= {self._bare_name(n) for n in self._own_names}  # "قناة الأطلس" is also "الأطلس"
        first = next((p for p in self.paras if text[p.start : p.end].strip()), None)
        self.press_release = first is not None and _PRESS_RELEASE.match(fold(text[first.start : first.end]).strip()) is not None
        if self.press_release:
            # "وزارة المالية: ..." — the release's headline names its issuer before the colon
            heads = [p for p in self.paras if text[p.start : p.end].strip() and p.start > first.start][:1]
            issuer = text[heads[0].start : heads[0].end].split(":", 1)[0] if heads and ":" in text[heads[0].start : heads[0].end][:80] else ""
            if issuer.strip() and len(issuer.split()) <= 6:
                self._own_names |= {fold(issuer.strip()), self._bare_name(issuer.strip())}
            elif heads and lang == "ar":
                # "مؤسسة ميناء وهران تطلق ...": a headline opening with an organisation's name,
                # then its verb in the imperfect, names the issuer
                words = text[heads[0].start : heads[0].end].split()
                heads_ar = set().union(*(self.lex.kind_heads.get(k, ()) for k in ("organisation", "government")))
                if words and fold(words[0]) in heads_ar:
                    n = 1
                    while n < min(len(words), 7) and not fold(words[n]).startswith(("ت", "ي")) and fold(words[n]) not in self.lex.np_stops:
                        n += 1
                    if 2 <= n < min(len(words), 7):
                        issuer = " ".join(words[:n])
                        self._own_names |= {fold(issuer), self._bare_name(issuer)}
        self.att = SentenceAttributor(self.F, text, self.fmap, self.lex, self.reg)
        self._own_name_of: dict[str, bool] = {}  # own_name() by name (_own_names is fixed from here)

    def _bare_name(self, name: str) -> str:
        """A folded name without its generic words (قناة, صحيفة, وكالة)."""
        return " ".join(w for w in fold(name).split() if w not in self.lex.generic_name_words)

    def is_own_statement(self, m: Mention) -> bool:
        """In a press release (its first line says so: "بيان صحفي"), "البيان" with no other
        statement named before it is the release itself, i.e. the publisher's own voice; so is
        the issuer's head noun alone ("ووفق بيانات الوزارة" in a ministry's release)."""
        if not self.press_release or m.publisher:
            return False
        forms = [fold(n) for n in m.all_forms()]
        if forms and all(len(f.split()) == 1 and f.startswith("ال") and any(o.split()[:1] == [f[2:]] for o in self._own_names) for f in forms):
            return m.kind != SourceKind.PERSON  # "الوزارة" for "وزارة الاقتصاد والتجارة"
        if m.kind != SourceKind.DOCUMENT:
            return False
        return all(fold(n) in self.lex.statement_nouns for n in m.all_forms())

    def sounds_like_publisher(self, m: Mention) -> bool:
        """An outlet relay whose name is the publisher's in the other script ("قالت لـ"صدى
        الجنوب"" in Sada al-Janoub's own copy): no extra hop."""
        if m.kind not in (SourceKind.OUTLET, SourceKind.AGENCY) or m.publisher:
            return False
        from claims.names import same_name  # (claims.names reads the lexicons: imported late)

        def arabic(name: str) -> bool:
            return any("\u0600" <= ch <= "\u06ff" for ch in name)

        # across scripts only: within one script the publisher's own forms are known exactly
        return any(arabic(n) != arabic(p) and same_name(n, p) for n in m.names for p in self.publisher.names)

    def own_name(self, name: str) -> bool:
        known = self._own_name_of.get(name)
        if known is None:
            known = self._own_name_of[name] = fold(name) in self._own_names or self._bare_name(name) in self._own_names
        return known

    def f(self, o: int) -> int:
        return self.inv[o]

    def o(self, fs: int, fe: int) -> Span:
        return self.fmap[fs], self.fmap[fe - 1] + 1

    # ------------------------------------------------------------------ passes
    def units(self) -> list[_Unit]:
        fur = self.fur
        content = [p for p in self.paras if p.index not in fur.skip_paragraphs]
        body = "\n".join(self.text[p.start : p.end] for p in content)
        self.reg.add_appositions(body if self.lang == "en" else self.text[: fur.byline[3]] if fur.byline else self.text)
        author_start = fur.byline[3] if fur.byline else None
        title_index = None
        if len(content) >= 2:
            first = self.text[content[0].start : content[0].end].strip()
            if len(first.split()) <= 22 and first[-1:] not in ".":
                title_index = content[0].index
        out: list[_Unit] = []
        labels = self._transcript_labels(content) if self.lang == "ar" else {}
        for p in content:
            para = p
            if p.index in labels:
                out.append(labels[p.index])
                continue
            if fur.byline and p.index == fur.byline[2]:
                if fur.byline[3] >= p.end:
                    continue
                para = Paragraph(p.index, fur.byline[3], p.end)
            if p.index in fur.prefixes:
                para = Paragraph(p.index, max(para.start, fur.prefixes[p.index]), p.end)
            oped = author_start is not None and para.start >= author_start
            for sent in sentences(self.text, para):
                fs, fe = self.f(sent.start), self.f(sent.end)
                frames = self.att.frames(fs, fe)  # an op-ed quotes others too; the rest is its author's
                out.append(
                    _Unit(
                        para=p.index,
                        start=sent.start,
                        end=sent.end,
                        fs=fs,
                        fe=fe,
                        frames=frames,
                        heading=p.index in fur.headings,
                        title=p.index == title_index,
                        oped=oped,
                    )
                )
        return out

    def _transcript_labels(self, content: list[Paragraph]) -> dict[int, _Unit]:
        """A talk-show transcript: lines opening with a speaker's label and a colon ("الوزير X:",
        then "X:"), at least two of them, one of them the interviewer's ("المذيعة:"). Each answer
        line is one unit whose speaker is the label (the whole line, its sentences together);
        the interviewer's lines are no claims."""
        found: list[tuple[Paragraph, re.Match[str]]] = []
        host = 0
        for p in content:
            m = _AR_LABEL.match(self.text, p.start, p.end)
            if not m or len(m.group(1).split()) > 4:
                continue
            label = fold(m.group(1).strip())
            if label in _AR_HOST_LABELS:
                host += 1
                continue
            if any(self.att._verb(w) is not None for w in label.split()):
                continue  # "وأضاف الوزير: «...»" has its own cue
            found.append((p, m))
        if not host or len(found) < 2:
            return {}
        out: dict[int, _Unit] = {}
        for p, m in found:
            words = fold(m.group(1)).split()
            known = any(self.att._known_name_token(w) or w in self.lex.given_names for w in words)
            if not known:
                continue
            a, b = m.start(1), m.start(1) + len(m.group(1).rstrip())
            end = p.end
            while end > m.end() and self.text[end - 1] in " .\n":
                end -= 1
            if end - m.end() < 8:
                continue
            mention = self.reg.get(self.text[a:b], (a, b))
            fs, fe = self.f(m.end()), self.f(end)
            frame = Frame("verb", self.f(p.start), None, speaker=(a, b), mention=mention)
            frame.content = (fs, fe)
            out[p.index] = _Unit(para=p.index, start=p.start, end=p.end, fs=self.f(p.start), fe=self.f(p.end), frames=[frame])
        return out

    def regions(self, units: list[_Unit]) -> list[tuple[Mention, int, int, int, int]]:
        """(report, first paragraph, first unit index, last paragraph, stop unit) for each
        report or statement that later sentences refer back to: the text between its
        introduction and its last mention continues it; after the last mention, a sentence that
        gives its own speaker without referring back to the report (the text changes speaker)
        ends it."""
        first: dict[int, tuple[int, int]] = {}
        last: dict[int, int] = {}
        by_id: dict[int, Mention] = {}
        last_unit: dict[int, int] = {}
        for ui, unit in enumerate(units):
            for fr in unit.frames:
                m = fr.mention
                if m is None or fr.translation:
                    continue
                if m.kind == SourceKind.DOCUMENT:
                    m.report = True
                if not m.report:
                    continue
                by_id[m.id] = m
                first.setdefault(m.id, (unit.para, ui))
                last[m.id] = unit.para
                last_unit[m.id] = ui
        out = []
        for k in first:
            p0, u0 = first[k]
            p1 = last[k]
            # the text changes speaker: a sentence whose own speaker is someone else, with no
            # back-reference to the report, ends the report's region
            stop = len(units)
            for ui in range(last_unit[k] + 1, len(units)):
                unit = units[ui]
                if unit.para > p1:
                    break
                mentions = [fr.mention for fr in unit.frames if fr.mention is not None]
                if by_id[k] in mentions:
                    continue
                if any(fr.kind in ("verb", "post") and fr.mention is not None and fr.speaker is not None for fr in unit.frames):
                    stop = ui
                    break
            out.append((by_id[k], p0, u0, p1, stop))
        return out

    def _lede_statement(self, units: list[_Unit]) -> None:
        """A lede that gives two parties as the speakers ("أكدت الولايات المتحدة والعراق",
        "Ukraine and Poland agreed") when the next paragraph says they spoke in a statement:
        the statement is the speaker."""
        body = [u for u in units if not u.title and not u.heading]
        if not body:
            return
        lede = body[0].para
        statement = None
        for u in body:
            if u.para > lede + 1:
                break
            for fr in u.frames:
                m = fr.mention
                if m is not None and m.kind == SourceKind.DOCUMENT and any(fold(w) in self.lex.statement_nouns for n in m.names for w in n.split()[:2]):
                    statement = statement or m
        if statement is None:
            return
        for u in body:
            if u.para != lede:
                break
            for fr in u.frames:
                if fr.co_speakers and fr.mention is not statement:
                    fr.mention, fr.co_speakers = statement, []

    def run(self) -> Extraction:
        units = self.units()
        self._lede_statement(units)
        regions = self.regions(units)
        translator = None
        for unit in units:
            for fr in unit.frames:
                if fr.translation and fr.mention is not None:
                    translator = fr.mention
                    translator.translator = True
        reports = [m for m in self.reg.mentions if m.report]
        doc_report = reports[0] if reports else None
        source_line = None
        line = self.fur.source_line or self.fur.wire_line
        if line:
            name, span, pidx = line
            source_line = (self.reg.get(name, span, kind=SourceKind.OUTLET, speaker=False), pidx)
        author = None
        if self.fur.byline:
            name, span, _, _ = self.fur.byline
            author = self.reg.get(name, span, kind=SourceKind.PERSON, speaker=False)
        para_relays: dict[int, list[Frame]] = {}
        for unit in units:
            for fr in unit.frames:
                if fr.kind == "according" and fr.mention is not None and not fr.translation and not fr.report_intro and fr.mention.kind in (SourceKind.AGENCY, SourceKind.OUTLET):
                    para_relays.setdefault(unit.para, []).append(fr)
        if author is not None:
            for unit in units:
                for fr in unit.frames:
                    # "أعتقد أن ...", "I think ..." in an op-ed: the author speaks (before the
                    # relay carry: the author is not the previous speaker continuing)
                    if unit.oped and fr.kind == "verb-prodrop" and fr.cue and fold(self.F[fr.cue[0] : fr.cue[1]]) in _FIRST_PERSON_CUES:
                        fr.mention = author
        self._carry_relays(units)
        claims: list[ExtractedClaim] = []
        prev_speaker: tuple[int, Frame] | None = None
        for ui, unit in enumerate(units):
            region = None
            for rep, p0, u0, p1, stop in regions:
                inside = u0 < ui < stop and unit.para <= p1 and not unit.heading and not unit.title
                if inside and (region is None or u0 > region[2]):
                    region = (rep, p0, u0, p1)
            ctx = _Ctx(self, unit, region[0] if region else None, translator, doc_report, source_line, author, para_relays.get(unit.para, []))
            made = ctx.claims(prev_speaker)
            claims.extend(made)
            speaker_frames = [f for f in unit.frames if f.kind in _SPEAKER_KINDS and f.mention is not None]
            if speaker_frames:
                prev_speaker = (unit.para, speaker_frames[-1])
            elif not self.text[unit.start : unit.end].lstrip().startswith(("“", '"', "«")):
                prev_speaker = None
        self._title_colon(units, claims)
        mentions = [m for m in self.reg.mentions]
        claims = _dedupe(claims)
        return Extraction(
            text=self.text,
            lang=self.lang,
            claims=claims,
            mentions=mentions + [self.publisher],
            publisher=self.publisher,
            furniture=self.fur.spans,
        )

    def _carry_relays(self, units: list[_Unit]) -> None:
        """A statement continued ("قال X، في بيان بثته قناة Y، إن ... وأضاف X أن ...", "X said
        ..., according to Interfax. / Kubrakov added that ...", "An official told Reuters ...
        The official, who ..., said ...") keeps the medium that carried it: a continuation cue
        or a back-reference (``_back_reference``) to the same speaker, in the same paragraph or
        opening the next one, with no medium of its own, takes the relays of the speaker's
        previous statement (its own relays, or the agency or outlet its sentence was
        attributed to). Another speaker, or a sentence attributed only to another medium,
        ends the carry."""
        carry: tuple[int, int, Mention, list, Span | None] | None = None  # (paragraph, unit, speaker, relays, content)
        first_in_para: set[int] = set()
        for ui, unit in enumerate(units):
            acc = [
                (f.mention, Relation.REPORTED, f.speaker)
                for f in unit.frames
                if f.kind == "according" and f.mention is not None and not f.translation and not f.report_intro and f.mention.kind in (SourceKind.AGENCY, SourceKind.OUTLET)
            ]
            if acc and carry is not None and not any(f.kind in _SPEAKER_KINDS and f.mention is not None for f in unit.frames):
                carry = None  # "According to AP, ...": the text changed medium
            for fr in unit.frames:
                if fr.mention is None or fr.kind not in _SPEAKER_KINDS:
                    continue
                opens_para = unit.para not in first_in_para
                first_in_para.add(unit.para)
                own = list(fr.relays) or [r for r in acc if r[0] is not fr.mention]
                near = carry is not None and (carry[0] == unit.para or (carry[0] + 1 == unit.para and opens_para))
                follows = near and fr.mention is carry[2]
                # "عن دبلوماسيين في فيينا ... وأوضح أحد الدبلوماسيين": one of the unnamed group speaks on
                member = near and not follows and carry[2].kind == SourceKind.ANONYMOUS and fr.speaker is not None and fold(self.text[fr.speaker[0] : fr.speaker[1]]).split()[:1] in (["احد"], ["احدي"])
                cue = fold(self.F[fr.cue[0] : fr.cue[1]]) if fr.cue else ""
                # "وحذر رئيس الاتحاد، في المقابلة نفسها، من أن": the same occasion, so the same medium
                same = near and not follows and not own and fr.cue and fr.content and carry[1] != ui and bool(_SAME_OCCASION.search(self.F, fr.cue[1], fr.content[0]))
                if same:
                    fr.relays = list(carry[3])
                    carry = (unit.para, ui, fr.mention, carry[3], fr.content)
                    continue
                if (follows or member) and not own and (member or cue in _CONTINUATION_CUES or self._back_reference(fr)) and carry[1] != ui:
                    fr.relays = list(carry[3])
                    carry = (unit.para, ui, fr.mention, carry[3], fr.content)
                    continue
                if carry is not None and carry[1] == ui and carry[4] and fr.cue and carry[4][0] <= fr.cue[0] < carry[4][1]:
                    continue  # "X told Reuters that the crew had reported ...": quoted inside X's statement
                carry = (unit.para, ui, fr.mention, own, fr.content) if own else None

    def _back_reference(self, fr: Frame) -> bool:
        """The speaker was found by back-reference, not named again: pro-drop, a pronoun, a
        title, an unnamed head or a surname ("the minister", "The source", "وأشار الوزير"). The
        name the speaker was introduced with, repeated, is not one: the writer may be quoting
        another occasion."""
        if fr.speaker is None:
            return True
        names = fr.mention.names
        return not names or fold(names[0]) not in fold(self.text[fr.speaker[0] : fr.speaker[1]])

    def _title_colon(self, units: list[_Unit], claims: list[ExtractedClaim]) -> None:
        """A headline "X: Y" where X is a source named again in the body attributes Y to X."""
        for claim in claims:
            unit = next((u for u in units if u.start <= claim.start < u.end), None)
            if unit is None or not unit.title or not claim.hops[0].mention.publisher:
                continue
            line = self.text[unit.start : unit.end]
            m = re.match(r"^\s*([^:：]{2,60})[:：]\s*(.+)$", line)
            if not m or len(m.group(1).split()) > 5:
                continue
            head = m.group(1).strip()
            match = None
            from claims.text import fold

            for mention in self.reg.mentions:
                if any(fold(f) == fold(head) for f in mention.all_forms()):
                    match = mention
            if match is None and self.lang == "en" and head[:1].isupper():
                match = self.reg._match_name(head)
            if match is None:
                continue
            hs = unit.start + line.find(head)
            cstart = unit.start + m.start(2)
            claim.start = cstart
            claim.text = self.text[cstart : claim.end]
            origin = Hop(match, Relation.REPORTED, claim.modality, None, head + ":", (hs, hs + len(head) + 1), (hs, hs + len(head)), (hs, hs + len(head)))
            origin.confidence = conf.origin(match, "colon", origin.speaker_span, (cstart, claim.end), head)
            claim.hops[0].confidence = conf.publisher(claim.hops[0].mention)
            claim.hops.insert(0, origin)
            claim.confidence = conf.claim(claim.hops)


class _Countries:
    """The document's countries (``descriptions.countries``), worked out on the first call."""

    __slots__ = ("text", "found")

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[str] | None = None

    def __call__(self) -> list[str]:
        if self.found is None:
            self.found = countries(self.text)
        return list(self.found)


@lru_cache(maxsize=8)
def _connective_patterns(connectives: tuple[str, ...]) -> tuple[tuple[bool, re.Pattern[str]], ...]:
    """(keeps its words, compiled pattern) of each connective of a lexicon, in order."""
    out = []
    for con in connectives:
        c = con.lstrip("+").strip()
        pattern = (r"(?<!\w)" if c[:1].isalnum() else "") + re.escape(c) + (r"(?!\w)" if c[-1:].isalnum() else "")
        out.append((con.startswith("+"), re.compile(pattern)))
    return tuple(out)


_LEAD_PUNCT = re.compile(r"[,،\s]*")
_COMMA = re.compile(r"[,،]")


def _dedupe(claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    seen: set[tuple[int, int, int]] = set()
    out = []
    for c in claims:
        key = (c.start, c.end, c.hops[0].mention.id)
        if key in seen or c.end <= c.start:
            continue
        seen.add(key)
        out.append(c)
    return out


class _Ctx:
    """Builds the claims of one sentence from its frames and its context."""

    def __init__(self, doc: _Doc, unit: _Unit, region: Mention | None, translator, doc_report, source_line, author, para_relays):
        self.doc = doc
        self.unit = unit
        self.region = region
        self.translator = translator
        self.doc_report = doc_report
        self.source_line = source_line
        self.author = author
        self.para_relays = para_relays

    # spans ----------------------------------------------------------------------
    def _trim(self, fs: int, fe: int, *, keep_stop: bool, min_words: int = 3) -> Span | None:
        """The content span without edge punctuation; None when it has fewer than
        ``min_words`` words (2 for content a cue introduces, 3 for the publisher's own)."""
        if fe <= fs:
            return None
        a, b = self.doc.o(fs, fe)
        text = self.doc.text
        while a < b and text[a] in _TRIM:
            a += 1
        while b > a and (text[b - 1] in _TRIM or (not keep_stop and text[b - 1] in ".…")):
            b -= 1
        if keep_stop and b < len(text) and text[b : b + 1] == "." and b < self.unit.end:
            b += 1
        if sum(1 for _ in islice(_WORD.finditer(text, a, b), min_words)) < min_words:  # (fewer than min_words words)
            return None
        return a, b

    def _split_connectives(self, span: Span) -> list[Span]:
        doc = self.doc
        lex = doc.lex
        a, b = span
        fa, fb = doc.f(a), doc.f(b)
        seg = doc.F[fa:fb]
        cuts: list[tuple[int, int]] = []
        for keep, pattern in _connective_patterns(lex.connectives):
            for m in pattern.finditer(seg):
                if m.start() == 0:
                    continue
                if keep:  # the connective's words stay with the clause they open ("as the EU does")
                    lead_punct = _LEAD_PUNCT.match(m.group()).end()
                    cuts.append((m.start(), m.start() + lead_punct))
                else:
                    cuts.append((m.start(), m.end()))
        lead = 0
        for opener in lex.concessives:
            if seg.startswith(opener):
                lead = len(opener)
                if not cuts:
                    comma = _COMMA.search(seg[lead:])
                    if comma:
                        cuts.append((lead + comma.start(), lead + comma.end()))
                break
        if not cuts and not lead:
            return [span]
        cuts.sort()
        pieces = []
        pos = lead
        for cs, ce in cuts:
            if cs < pos:
                continue
            pieces.append((pos, cs))
            pos = ce
        pieces.append((pos, len(seg)))
        out = []
        for ps, pe in pieces:
            t = self._trim(fa + ps, fa + pe, keep_stop=True)
            if t:
                out.append(t)
        return out or [span]

    # chain ----------------------------------------------------------------------
    def _hop(self, mention: Mention, relation: Relation, modality: Modality, frame: Frame | None = None, *, confidence: float | None = None) -> Hop:
        cue = cue_span = speaker = evidence = None
        if frame is not None:
            if frame.cue:
                cue_span = self.doc.o(*frame.cue)
                cue = self.doc.text[cue_span[0] : cue_span[1]]
            speaker = frame.speaker
            if speaker is None and cue_span and self.doc.lang == "ar":
                speaker = self._named_before(mention, cue_span[0])  # "وتابع أن": the speaker named earlier
            parts = [s for s in (cue_span, speaker) if s]
            if parts:
                evidence = (min(p[0] for p in parts), max(p[1] for p in parts))
        elif mention.spans and not (self.unit.oped and mention is self.author and self.doc.lang == "ar" and not self._in_paragraph(mention.spans[0])):
            speaker = mention.spans[0]  # (an op-ed's own text is its author's: the byline, when it opens this paragraph)
            evidence = speaker
        return Hop(mention, relation, modality, None, cue, cue_span, speaker, evidence, confidence)

    def _paragraph(self):
        """The paragraph this sentence is in."""
        return next((p for p in self.doc.paras if p.index == self.unit.para), None)

    def _in_paragraph(self, span: Span) -> bool:
        para = self._paragraph()
        return para is not None and para.start <= span[0] and span[1] <= para.end

    def _named_before(self, mention: Mention, cue_start: int) -> Span | None:
        """The last span naming ``mention`` in this paragraph before ``cue_start`` (a pro-drop
        cue's speaker, as the gold convention finds it)."""
        para = self._paragraph()
        if para is None:
            return None
        before = [sp for sp in mention.spans if para.start <= sp[0] and sp[1] <= cue_start]
        return max(before) if before else None

    def _chain(self, origin: Hop, relays: list[Hop], modality: Modality, publisher_modality: Modality) -> list[Hop]:
        doc = self.doc
        hops = [origin]

        def add(h: Hop) -> None:
            own = h.mention.publisher or any(doc.own_name(n) for n in h.mention.names) or doc.is_own_statement(h.mention) or doc.sounds_like_publisher(h.mention)
            if all(x.mention is not h.mention for x in hops) and not own:
                hops.append(h)  # ("قال لـ«بوابة طرابلس»" in Tripoli Gate's own copy: no extra hop)

        for r in relays:
            add(r)
        direct_person = len(hops) == 1 and origin.mention.kind == SourceKind.PERSON and bool(origin.mention.names) and not origin.mention.report
        if self.region is not None and not self.unit.oped and not direct_person:
            # (a named person quoted directly between a report's mentions speaks for themself:
            # "وقالت الباحثة في المعهد الدكتورة X" in a summary of the institute's study; one
            # the report relays through others keeps it: "قال X لوسائل الإعلام الروسية")
            add(self._hop(self.region, Relation.REPORTED, modality, confidence=conf.INHERITED))
        if self.translator is not None and any(h.mention.report for h in hops) and not self.unit.oped:
            hops.append(self._hop(self.translator, Relation.TRANSLATED, modality, confidence=conf.PAGE_RELAY))
        own_line = self.source_line is not None and any(fold(n) in doc._own_names for n in self.source_line[0].names)
        if self.source_line and not own_line and self.unit.para < self.source_line[1] and not self.unit.heading and not self.unit.title:
            outlet = self.source_line[0]
            if hops[0].mention.publisher and self.source_line[1] >= 10**9:
                pass  # a wire named in the dateline relays attributed statements, not the outlet's own text
            elif hops[0].mention.publisher:
                hops[0] = self._hop(outlet, Relation.REPORTED, modality, confidence=conf.PAGE_RELAY * conf.UNATTRIBUTED)
            else:
                add(self._hop(outlet, Relation.REPORTED, modality, confidence=conf.PAGE_RELAY))
        if not hops[0].mention.publisher:
            pub = Hop(doc.publisher, Relation.PUBLISHED, publisher_modality, doc.lang, confidence=conf.publisher(doc.publisher))
            hops.append(pub)
        else:
            hops[0].relation = Relation.PUBLISHED
            hops[0].modality = publisher_modality
            hops[0].lang = doc.lang
        return hops

    def _claim(self, span: Span, origin_mention: Mention, relation: Relation, frame: Frame | None, relays: list[Hop], *, distancing: bool, cue_mod: Modality | None) -> ExtractedClaim:
        if self.doc.is_own_statement(origin_mention) or (
            origin_mention.kind not in (SourceKind.PERSON, SourceKind.ANONYMOUS) and not origin_mention.publisher and any(self.doc.own_name(n) for n in origin_mention.names)
        ):
            origin_mention, relation = self.doc.publisher, Relation.PUBLISHED  # "وأشار البيان" in the release itself
        doc = self.doc
        fa, fb = doc.f(span[0]), doc.f(span[1])
        folded = doc.F[fa:fb]
        mod = content_modality(folded, doc.lex, cue=cue_mod)
        if self.unit.oped and (origin_mention is self.author or self.author is None):
            mod = Modality.QUESTION if mod == Modality.QUESTION else Modality.OPINION
        if self.unit.title and doc.text[self.unit.start : self.unit.end].rstrip().endswith(("?", "؟")):
            mod = Modality.QUESTION
        pub_mod = Modality.REPORTED if distancing and mod == Modality.ASSERTED else mod
        origin = self._hop(origin_mention, relation, mod, frame)
        said_by = frame.speaker if frame else None
        surface = doc.text[said_by[0] : said_by[1]] if said_by else None
        origin.confidence = conf.origin(origin_mention, frame.kind if frame else None, said_by, span, surface)
        for r in relays:
            r.modality = mod
        hops = self._chain(origin, relays, mod, pub_mod)
        cue_folded = doc.F[frame.cue[0] : frame.cue[1]] if frame and frame.cue else None
        stance = stance_for(pub_mod, cue_folded, doc.lex)
        if any(w in doc.lex.denials for w in folded.split()[:2]):
            stance = stance_for(Modality.DENIED, None, doc.lex)
        return ExtractedClaim(span[0], span[1], doc.text[span[0] : span[1]], hops[-1].modality or pub_mod, stance, hops, self.unit.para, conf.claim(hops))

    # sentence -------------------------------------------------------------------
    def claims(self, prev_speaker) -> list[ExtractedClaim]:
        unit = self.unit
        doc = self.doc
        frames = unit.frames
        distancing = any(f.kind == "reportedly" for f in frames)
        out: list[ExtractedClaim] = []
        relays_acc = [f for f in frames if f.kind == "according" and f.mention is not None and not f.translation]
        # an unnamed source "according to" whom something else is said does not relay a named speaker
        acc_relays = [a for a in relays_acc if a.mention.kind not in (SourceKind.PERSON, SourceKind.ANONYMOUS)]
        speakers = [f for f in frames if f.kind in _SPEAKER_KINDS and f.has_content]
        last_mention = None
        if speakers:
            first = speakers[0]
            if first.kind == "verb" and first.speaker is not None and first.cue and not unit.oped:
                prefix = self._trim(unit.fs, doc.att._clause_cut(first), keep_stop=False)
                if prefix and len(_WORD.findall(doc.text[prefix[0] : prefix[1]])) >= 5 and first.cue[0] > unit.fs + 20:
                    cut = re.search(r"[,،]\s*(?:بعد|عقب|قبل|إثر|اثر|after|before)\s", doc.text[prefix[0] : prefix[1]])
                    if cut:
                        prefix = (prefix[0], prefix[0] + cut.start())
                    out.append(self._claim(prefix, doc.publisher, Relation.PUBLISHED, None, [], distancing=False, cue_mod=None))
            for fr in speakers:
                mention = fr.mention
                if fr.kind == "participle":
                    mention = last_mention or fr.mention or doc.reg.last_speaker
                if mention is None:
                    continue
                if self._own_correspondent(mention):
                    mention = doc.publisher  # "وقال مراسل «المدار»", "our correspondent": the outlet's own voice
                last_mention = mention
                span = self._trim(*fr.content, keep_stop=False, min_words=2) if fr.content else None
                if span is None:
                    continue
                relays = [self._relay(m, rel, sp) for m, rel, sp in fr.relays]
                relays += [self._relay_frame(a) for a in acc_relays if a.mention is not mention]
                relays += [self._relay_frame(a, conf.PARAGRAPH_RELAY) for a in self.para_relays if a.mention is not mention]
                if mention.report and fr.relation == Relation.SAID and mention.kind != SourceKind.PERSON:
                    relation = Relation.REPORTED if mention.kind != SourceKind.DOCUMENT else Relation.SAID
                else:
                    relation = fr.relation if mention.kind != SourceKind.PERSON else Relation.SAID
                if fr.kind == "expressive":
                    relation = Relation.SAID
                out.append(self._claim(span, mention, relation, fr, relays, distancing=distancing or fr.distancing, cue_mod=fr.cue_modality))
                for other, other_span in fr.co_speakers:  # a joint statement: each party says it
                    party = replace(fr, mention=other, speaker=other_span, co_speakers=[])
                    rel = Relation.SAID if other.kind == SourceKind.PERSON else relation
                    out.append(self._claim(span, other, rel, party, [self._relay(r.mention, r.relation, r.speaker_span) for r in relays], distancing=distancing or fr.distancing, cue_mod=fr.cue_modality))
            return out
        # an "according to X" that carries the content itself
        lead = next((f for f in relays_acc if f.leading and f.has_content), None)
        trail = next((f for f in relays_acc if f.trailing), None)
        carrier = lead or trail
        if carrier is not None:  # in an op-ed too: "according to X" attributes to X, not the author
            if lead is not None:
                cs, ce = lead.content
            else:
                cs, ce = unit.fs, doc.att._clause_cut(trail)
            span = self._trim(cs, ce, keep_stop=False)
            if span is None:
                return out
            m = carrier.mention
            relation = Relation.SAID if m.kind in (SourceKind.PERSON, SourceKind.DOCUMENT, SourceKind.GOVERNMENT) else Relation.REPORTED
            relays = [self._relay(r, rel, sp) for r, rel, sp in carrier.relays]
            relays += [self._relay_frame(a, conf.PARAGRAPH_RELAY) for a in self.para_relays if a.mention is not m]
            pieces = self._split_connectives(span) if self.unit.frames and m.report else [span]
            for piece in pieces:
                out.append(self._claim(piece, m, relation, carrier, relays, distancing=distancing, cue_mod=None))
            return out
        # unattributed: the sentence belongs to the context
        start_f = unit.fs
        rep = next((f for f in frames if f.kind == "reportedly"), None)
        participant = next((f for f in frames if f.kind == "participant" and f.has_content), None)
        if rep is not None and rep.content:
            start_f = rep.content[0]
        end_f = unit.fe
        translation = next((f for f in frames if f.translation), None)
        if translation is not None:
            end_f = min(end_f, doc.att._clause_cut(translation))
        raw = doc.text[unit.start : unit.end].strip()
        quoted = raw[:1] in "“\"«"
        cue_frame = participant
        if unit.oped and self.author is not None:
            origin, relation = self.author, Relation.SAID
            split = False
        elif quoted and prev_speaker and prev_speaker[0] == unit.para:
            origin, relation, split = prev_speaker[1].mention, Relation.SAID, False
        elif self.region is not None or (participant is not None and doc.reg.latest(report=True) is not None):
            report = self.region if self.region is not None else doc.reg.latest(report=True)
            origin, relation, split = report, (Relation.SAID if report.kind == SourceKind.DOCUMENT else Relation.REPORTED), True
            if participant is not None and participant.content:
                start_f = participant.content[0]
        elif quoted and self.doc_report is not None and not unit.title:
            origin, relation, split = self.doc_report, Relation.REPORTED, True
        elif self.para_relays and not unit.heading and not unit.title:
            a = self.para_relays[0]
            origin, relation, split, cue_frame = a.mention, Relation.REPORTED, True, a
        else:
            origin, relation, split = doc.publisher, Relation.PUBLISHED, True
        span = self._trim(start_f, end_f, keep_stop=origin is doc.publisher or unit.oped)
        if span is None:
            return out
        pieces = self._split_connectives(span) if split else [span]
        for piece in pieces:
            out.append(self._claim(piece, origin, relation, cue_frame, [], distancing=distancing, cue_mod=None))
        return out

    def _own_correspondent(self, mention: Mention) -> bool:
        forms = [fold(f) for f in mention.all_forms()]
        if not forms or not any(f.split()[0] in _CORRESPONDENT for f in forms if f.split()):
            return False
        rest = {f for f in (fold(n) for n in mention.names) if f.split() and f.split()[0] not in _CORRESPONDENT}
        return not rest or rest <= self.doc._own_names

    def _relay(self, mention: Mention, relation: Relation, span: Span | None) -> Hop:
        return Hop(mention, relation, None, None, None, None, span, span, conf.TOLD_RELAY)

    def _relay_frame(self, fr: Frame, confidence: float = conf.CUE_STRENGTH["according"]) -> Hop:
        cue_span = self.doc.o(*fr.cue) if fr.cue else None
        return Hop(
            fr.mention,
            Relation.TRANSLATED if fr.translation else Relation.REPORTED,
            None,
            None,
            self.doc.text[cue_span[0] : cue_span[1]] if cue_span else None,
            cue_span,
            fr.speaker,
            cue_span,
            confidence,
        )


def extract(text: str, *, lang: str | None = None, outlet: str | None = None, doc_key: str | None = None) -> Extraction:
    """Run the whole pipeline on one document's text (already stripped of markup). English
    attributions come from the trained model (``claims.extraction.learned``) when it loads,
    with the rules' output as its features; otherwise the rules' output stands."""
    doc = _rule_doc(text, lang, outlet, doc_key)
    extraction = doc.run()
    if doc.lang == "en":
        from claims.extraction import learned

        extraction = learned.refine(extraction, doc.reg)
        conf.fill(extraction.claims, extraction.text)
    return extraction


def extract_rules(text: str, *, lang: str | None = None, outlet: str | None = None, doc_key: str | None = None) -> Extraction:
    """The rule pipeline alone (the model's features and its fallback)."""
    return _rule_doc(text, lang, outlet, doc_key).run()


def _rule_doc(text: str, lang: str | None, outlet: str | None, doc_key: str | None) -> _Doc:
    language = lang or detect_lang(text)
    return _Doc(text, language if language in ("ar", "en") else "en", outlet, doc_key)


def furniture_spans(text: str, *, lang: str | None = None) -> list[Span]:
    """The spans the extractor skips as page furniture (tags, "read also", related lists,
    bylines, signatures), in original offsets; none for a language it does not analyse."""
    lang = lang or detect_lang(text)
    if lang not in ("ar", "en"):
        return []
    folded, offsets = fold_with_offsets(text)
    return list(furniture_mod.detect(text, folded, offsets[:-1], paragraphs(text), load(lang)).spans)
