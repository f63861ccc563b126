"""Attribution: cues, speakers, content spans and relay chains, sentence by sentence.

Works on the folded copy of the text (``claims.text.fold_with_offsets``) and reports spans in
the original. A sentence yields *frames*: a cue with its speaker phrase and its content
(verb cues "قال X إن", "X said that", postposed "…, X said."; "according to X" / "بحسب X";
"وبحسب ما ورد" / "reportedly"; participles "قائلا إن", ", saying that"; expressive verbs
"رحب سلامي", "Salami welcomed"). The chain of a claim is built from its frame outwards:
origin, then a medium the speaker told ("لوسائل الإعلام الروسية"), then "according to"
relays in the sentence or paragraph, then the report the paragraph continues (report
inheritance), the translator, the source line's outlet ("المصدر: الحرة"), and the publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from claims.extraction.lexicon import PLACE_HEADS, TITLE_PREPOSITIONS, Lexicon, is_given_name
from claims.extraction.mentions import Registry, clean
from claims.extraction.model import Mention, Span
from claims.text import fold
from claims.vocabulary import Modality, Relation, SourceKind

_PUNCT = "\"“”«»'()[]{},،.:؛;!?؟…–—"
_QUOTES = "\"“”«»"
_EN_AUX = frozenset(["has", "have", "had", "also", "previously", "reportedly", "later", "then", "again", "once", "repeatedly", "has", "also"])
_EN_TITLES = frozenset(["brig", "maj", "cpl", "sgt", "pvt", "sen", "rep", "gov", "gen", "lt", "col", "dr", "mr", "mrs", "ms", "st", "prof", "u.s", "sgt", "capt", "adm", "atty", "supt"])
_EN_NOT_SPEAKERS = frozenset(["note", "update", "editor", "correction", "exclusive", "watch", "video", "photos", "related", "read", "breaking", "analysis", "opinion", "source", "sources", "tags", "q", "a"])
_EN_PASSIVE = frozenset(["was", "were", "been", "be", "is", "are", "being"])
#: Words a speaker noun phrase never contains: auxiliaries, negation, wh-words, conjunctions
#: of a clause. "did", "did not say which specific groups the US" are clause fragments.
_EN_NOT_IN_SPEAKER = frozenset(["did", "does", "do", "didn't", "doesn't", "don't", "would", "will", "could", "should", "can", "must", "might", "may", "not", "never", "which", "whether", "if", "is", "are", "was", "were", "been", "be", "to", "because", "so", "than", "this", "these", "those", "it's", "we", "i", "you", "there", "here"])
_EN_DETERMINERS_OF_REPORT = frozenset(["the", "a", "an", "this", "that", "its", "their", "his", "her", "new", "latest", "annual", "same"])
_NAME_LINKS_EN = frozenset(["al", "el", "bin", "ibn", "de", "van", "von", "abu", "da", "di", "le", "la", "al-"])
_EN_NEGATION = frozenset(["not", "never", "didn't", "doesn't", "don't", "won't", "wouldn't", "hasn't", "haven't", "declined", "refused", "wouldn't", "cannot", "can't", "couldn't", "n't"])
#: Discourse markers built on a cue verb: "That said, ...", "Needless to say, ...".
_EN_DISCOURSE = frozenset(["that said", "having said", "needless to", "so to", "strange to", "truth be", "suffice to"])
_EN_DISCOURSE_SECOND = frozenset(p.split()[1] for p in _EN_DISCOURSE)  # a cheap test before the pair's
_EN_CLAUSE_BREAK = frozenset(["that", "and", "but", "while", "because", "as", "when", "after", "before", "if", "although", "though"])
#: A medium the speaker spoke to, set off by commas between the subject and its verb ("A
#: diplomat, speaking to AFP, said"): a relay hop, as "told Reuters" is.
_EN_RELAY_ASIDES = frozenset(["speaking to", "talking to", "speaking with", "talking with", "in an interview with", "quoted by", "cited by"])
#: A participle inside the subject that names the medium relaying it ("A Gazprom source quoted
#: by the daily Kommersant said"): the subject ends before it, the medium is a relay hop.
_EN_RELAYED_BY = frozenset(["quoted", "cited"])
#: The medium that carried the statement in the verb's prepositional tail ("said in a statement
#: carried by the state news agency that"): a relay hop.
_EN_CARRIERS = frozenset(["carried", "broadcast", "aired", "published", "run"])
#: Relative pronouns that open a non-restrictive clause after the speaker ("The official, who
#: spoke on condition of anonymity, said"): the clause is not the speaker.
_EN_RELATIVES = frozenset(["who", "whose"])
_AR_CONTENT_Q = re.compile(r"[\"“«]")
_AR_ANNOUNCE = frozenset({"اعلان", "باعلان", "واعلان", "لاعلان"})
_AR_NOMINAL_CUES = frozenset({"اكد", "اكدت", "اكدا", "اكدوا", "جدد", "جددت", "نفي", "نفت", "اعلن", "اعلنت", "اعلنا", "نفوا", "نفيا", "دعا", "دعت", "دعوا", "لوح", "لوحت", "طالب", "طالبت", "طالبوا", "ينفي", "تنفي", "اتهم", "اتهمت", "اتهموا"})
#: Nouns of the occasion after a speaker ("في مؤتمر صحفي", "في بيان"): not the speaker's affiliation.
_AR_OCCASIONS = frozenset({"مؤتمر", "المؤتمر", "تصريح", "تصريحات", "بيان", "البيان", "حديث", "مقابله", "المقابله", "كلمه", "الكلمه", "تدوينه", "منشور", "رساله", "لقاء", "اللقاء", "اجتماع", "الاجتماع", "ختام", "اثناء", "تقرير", "التقرير", "حوار", "الحوار", "جلسه", "الجلسه", "مداخله", "تغريده", "اتصال", "مكالمه", "خطاب", "الخطاب", "وقت", "الوقت", "تصريحه", "حين", "حديثه"})
_AR_OCCASIONS = frozenset(fold(w) for w in _AR_OCCASIONS)  # matched on folded tokens (مؤتمر -> موتمر)
_AR_ADVERBIALS = frozenset({"جديد", "مجددا", "مره", "اخري", "الثلاثاء", "الاثنين", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد", "امس", "اليوم"})
#: Words that never open an Arabic speaker phrase: adverbials, prepositions, demonstratives.
_AR_NOT_SPEAKER = frozenset({"فان", "فانه", "فانها", "وان", "لان", "هو", "هي", "وهو", "وهي", "هم", "وهم", "بعد", "قبل", "ذلك", "هذا", "هذه", "دون", "بدون", "عند", "عندما", "حين", "حيث", "لكن", "ثم", "اثر", "عقب", "خلال", "وسط", "رغم", "بسبب", "منذ", "حتي", "اذ", "اذا", "لو", "لما", "كما", "بينما", "فيما", "التي", "الذي", "الذين", "ما", "لا", "لم", "لن", "قد", "فقط", "لكنه", "لكنها", "لكنهم", "ولكنه", "ولكنها", "ولكنهم"})
_AR_NAMED_BY_QUOTE = frozenset({"بنك", "مرصد", "موسسه", "هيئه", "مصرف", "جامعه", "مستشفي", "نادي", "صحيفه", "جريده", "وكاله", "قناه", "موقع", "مجله", "شركه", "منصه", "اذاعه", "شبكه", "مركز", "معهد", "منظمه", "حركه", "جماعه", "تلفزيون", "لصحيفه", "لوكاله", "لقناه", "لموقع", "مجموعه", "حزب"})
_AR_BROADCAST = frozenset({"بثته", "بثه", "بثها", "بثتها", "نشرته", "نشره", "نشرها", "نشرتها", "اوردته", "اورده", "اوردها", "اوردتها", "نقلته", "نقله", "نقلها", "نقلتها", "اصدرته", "اصدره", "اصدرها", "اصدرتها"})
_AR_PRONOUN_OBJECTS = frozenset({"عليه", "عليها", "عليهم", "له", "لها", "لهم", "به", "بها", "اليه", "اليها", "فيه", "فيها", "لي", "لنا"})
#: "أصدر مركز X تقريرا": X publishes a report that later sentences quote ("وأورد التقرير").
_AR_POSSESSED_OCCASIONS = frozenset({"حديثه", "حديثها", "كلمته", "كلمتها", "تصريحه", "تصريحها", "تصريحاته", "تصريحاتها", "خطابه", "خطابها", "مداخلته", "مداخلتها", "بيانه", "بيانها"})
_AR_POSSESSED_REPORTS = frozenset({"تقريره", "تقريرها", "دراسته", "دراستها", "نشرته", "نشرتها", "تقييمه", "تقييمها", "توقعاته", "توقعاتها"})
_AR_POSSESSED_OCCASIONS_REPORTS = _AR_POSSESSED_OCCASIONS | _AR_POSSESSED_REPORTS
_AR_DEMAND_CUES = frozenset({"طالب", "طالبت", "طالبوا", "لوح", "لوحت"})
_AR_MASDAR = re.compile(r"^(?:است\w\wا\w|ا\wت\wا\w|ان\w\wا\w)$")  # استهداف، اعتقال، انسحاب
_AR_SAYING = frozenset({"قايلا", "قايله", "قائلا", "قائله"})
_AR_RECEIVED = frozenset({"تلقت", "تلقي", "تلقينا", "حصلت", "اطلعت", "وصلت", "وصل"})
_AR_ISSUED_BY = frozenset({"اصدره", "اصدرها", "اصدرته", "اصدرتها", "اعده", "اعدها", "اعدته", "اعدتها", "نشره", "نشرها", "نشرته", "نشرتها", "اجراه", "اجراها", "اجرته", "اجرتها"})  # "دراسة أصدرها مركز X"
_AR_PUBLISH = frozenset({"اصدر", "اصدرت", "نشر", "نشرت", "واصدر", "واصدرت", "ونشر", "ونشرت"})
_AR_PLACE_WORDS = frozenset({"قرب", "بالقرب", "مدينه", "بلده", "قريه", "محافظه", "ولايه", "اقليم", "منطقه", "مخيم", "حي", "ميناء", "مطار"})
_AR_ISSUED = frozenset({"صادر", "الصادر", "صادره", "الصادره"})
_AR_TIME_WORDS = frozenset({"الشهر", "الاسبوع", "العام", "السنه", "مطلع", "اواخر", "منتصف"})
_AR_OBJECT_CUES = frozenset({"دعا", "دعت", "دعوا"})  # calls: "دعا (X) أنصاره إلى ..."
_AR_QUANTIFIED_OBJECTS = frozenset({"جميع", "كل", "كافه", "الجميع", "الاطراف", "الطرفين"})
_AR_AUTHOR_NOUNS = frozenset({"معدو", "معدي", "معد", "معده", "واضعو", "واضعي", "كاتبو", "كاتبي", "مؤلفو", "مؤلفي"})
_AR_DATA_NOUNS = frozenset(fold(w) for w in ["بيانات", "البيانات", "ارقام", "الارقام", "احصاءات", "الاحصاءات", "احصائيات", "معطيات", "المعطيات", "تقديرات", "التقديرات"])
_AR_DATA_NOUNS = _AR_DATA_NOUNS | frozenset("ل" + w for w in _AR_DATA_NOUNS if not w.startswith("ال"))  # "ووفقاً لبيانات X"
#: "عن X قوله/تأكيده/تحذيرهم أن": the relayed speaker's verbal noun with its pronoun closes the speaker.
_AR_REPORTED_SPEECH = frozenset({"قوله", "قولها", "قولهم", "قولهما"} | {n + p for n in ("تاكيد", "تحذير", "تشديد", "نفي", "ترجيح", "توقع", "اشارت", "اعلان") for p in ("ه", "ها", "هم", "هما")})
_AR_CLOSE_TO = frozenset({"مقرب", "مقربه", "مقربون", "مقربين", "قريب", "قريبه", "قريبون", "قريبين", "المقرب", "المقربه", "المقربون", "المقربين", "القريب", "القريبه"})  # "مصادر مقربة من X"
_AR_FAMILIAR = frozenset({"مطلع", "مطلعه", "مطلعون", "مطلعين", "المطلع", "المطلعه", "المطلعون", "المطلعين"})  # "دبلوماسي مطلع على الملف"
_AR_PLURAL_TITLES = frozenset({"النواب", "الوزراء", "الخبراء", "الباحثون", "المحللون", "الناشطون", "القاده", "المسؤولون", "النائبان", "الوزيران", "السفراء", "الاعضاء", "القضاه", "المحامون"})  # before a list of names
_AR_BAYYANA = frozenset({"بين", "بينت"})  # بيّن/بيّنت, see _bayyana
_AR_A_STATEMENT = frozenset({"بيان", "بيانا", "بلاغ", "بلاغا"})
_AR_THE_STATEMENT = frozenset({"البيان", "للبيان", "بالبيان", "البلاغ", "للبلاغ", "وللبيان"})  # back to the statement's issuer
_AR_TRANSLATED_BY = frozenset({"ترجمها", "ترجمه", "ترجمته", "ترجمتها"})  # "التي ترجمها X"
_AR_ACCUSATIONS = frozenset({"اتهم", "اتهمت", "اتهموا"})  # "اتهم X Y بـ...": Y accused of the charge
_AR_IMPERFECT_DENIALS = frozenset({"ينفي", "تنفي"})  # cues only verb-first ("ينفي المتهم كل التهم")
_AR_ONLINE_HEADS = frozenset({"صفحات", "صفحه", "حسابات", "حساب", "منشورات", "مدونون", "مدونين"})  # accounts "على" a platform
# honorifics that open a name after a title and a comma ("وزير البترول، المهندس عادل ...")
_AR_ANONYMITY = frozenset({"رفض", "رفضت", "طلب", "طلبت", "فضل", "فضلت", "اشترط", "اشترطت", "شرط"})  # "، رفض الكشف عن اسمه،"
_AR_CONTRASTIVE = frozenset({"غير", "الا", "بيد", "وغير"})  # "غير أن"/"إلا أن"/"بيد أن" before a fronted subject
#: An emphatic pronoun closing a speaker ("مؤسسة كهرباء لبنان نفسها أوردت"): not part of the name.
_AR_SOURCE_ADJECTIVES = frozenset(fold(w) for w in ["مسؤول", "مسؤولة", "رسمي", "رفيع", "مطلع", "مطلعة", "أمني", "حكومي"])  # "مصدر مسؤول بالوزارة"
_AR_FIRST_PERSON = frozenset(fold(w) for w in ["لكنني", "لكني", "ولكنني", "ولكني", "إنني", "إني", "أنا", "وأنا", "لكننا", "ولكننا", "نحن", "ونحن", "إننا"])  # "لكنني أعتقد"
_AR_EMPHATIC = frozenset({"نفسه", "نفسها", "نفسهم", "انفسهم", "ذاته", "ذاتها", "عينه", "عينها"})
_AR_HONORIFICS = frozenset(fold(w) for w in ["المهندس", "المهندسة", "الدكتور", "الدكتورة", "د.", "السفير", "السفيرة", "النائب", "النائبة", "اللواء", "العميد", "العقيد", "الفريق", "المستشار", "المستشارة", "القاضي", "القاضية", "الشيخ", "الشيخة", "الأستاذ", "الأستاذة", "السيد", "السيدة", "الأمير", "الأميرة", "البروفيسور"])
_RELAY_KINDS = (SourceKind.AGENCY, SourceKind.OUTLET, SourceKind.DOCUMENT, SourceKind.ORGANISATION)


@dataclass(slots=True)
class Token:
    s: int  # folded offsets of the whole token
    e: int
    cs: int  # folded offsets of the word without punctuation
    ce: int
    core: str
    raw: str  # folded token with punctuation
    i: int = -1  # position in the sentence (set where needed)

    @property
    def comma_after(self) -> bool:
        v = _COMMA_AFTER_OF.get(self.raw)
        if v is None:
            if len(_COMMA_AFTER_OF) > _TOKEN_MEMO_LIMIT:
                _COMMA_AFTER_OF.clear()
            v = _COMMA_AFTER_OF[self.raw] = _COMMA_AFTER.search(self.raw) is not None
        return v

    @property
    def ends_sentence(self) -> bool:
        v = _ENDS_SENTENCE_OF.get(self.raw)
        if v is None:
            if len(_ENDS_SENTENCE_OF) > _TOKEN_MEMO_LIMIT:
                _ENDS_SENTENCE_OF.clear()
            v = _ENDS_SENTENCE_OF[self.raw] = _ENDS_SENTENCE.search(self.raw) is not None
        return v

    @property
    def quote_before(self) -> bool:
        return self.raw[:1] in _QUOTES or self.raw.startswith(("''", "``"))

    @property
    def quote_after(self) -> bool:
        v = _QUOTE_AFTER_OF.get(self.raw)
        if v is None:
            if len(_QUOTE_AFTER_OF) > _TOKEN_MEMO_LIMIT:
                _QUOTE_AFTER_OF.clear()
            v = _QUOTE_AFTER_OF[self.raw] = _QUOTE_AFTER.search(self.raw) is not None
        return v


_COMMA_AFTER = re.compile(r"[,،]\W*$")
_ENDS_SENTENCE = re.compile(r"[.!?؟]\W*$")
_QUOTE_AFTER = re.compile(r"(?:[\"”»]|'')\W*$")
#: the two tests above by folded token (asked many times per token; tokens repeat)
_COMMA_AFTER_OF: dict[str, bool] = {}
_ENDS_SENTENCE_OF: dict[str, bool] = {}
_QUOTE_AFTER_OF: dict[str, bool] = {}
_TOKEN_MEMO_LIMIT = 200_000


@dataclass
class Frame:
    kind: str  # verb | post | according | reportedly | participle | expressive | colon
    clause_start: int
    cue: Span | None
    speaker: Span | None = None
    content: Span | None = None
    relation: Relation = Relation.SAID
    cue_modality: Modality | None = None
    distancing: bool = False
    mention: Mention | None = None
    relays: list[tuple[Mention, Relation, Span | None]] = field(default_factory=list)
    leading: bool = False
    trailing: bool = False
    translation: bool = False
    report_intro: bool = False
    content_start_index: int = -1
    co_speakers: list[tuple[Mention, Span | None]] = field(default_factory=list)  # a joint statement's other parties

    @property
    def has_content(self) -> bool:
        return self.content is not None and self.content[1] > self.content[0]


@lru_cache(maxsize=50_000)
def _entity_word(word: str) -> bool:
    """A folded word that is a gazetteer entity on its own (العراق, Poland)."""
    from claims.entities import _bare, _gazetteer

    table = _gazetteer()[0]
    return (word,) in table or (_bare(word),) in table


_VERB_CACHE: dict[str, dict[str, tuple[str, bool] | None]] = {}  # per language: token -> cue verb


_HEAD_VOCAB: dict[str, frozenset[str]] = {}  # per language: titles and head nouns


def _head_vocab(lex: Lexicon) -> frozenset[str]:
    if lex.lang not in _HEAD_VOCAB:
        _HEAD_VOCAB[lex.lang] = frozenset(lex.role_heads | lex.anonymous_heads).union(*lex.kind_heads.values())
    return _HEAD_VOCAB[lex.lang]


def _strip_w(word: str) -> str:
    return word[1:] if word[:1] in "وف" and len(word) > 3 else word


_TOKEN = re.compile(r"\S+")
_AR_TOLD_QUOTED = re.compile(r"ل[«\"“]")  # "لـ«الغد برس»": the quoted medium told
_DANGLING_CONNECTIVE = re.compile(r"(?:[,،]\s*)?(?:وخصوصا|خصوصا|وذلك|و|and|but)?\s*(?:بعدما|بعد ان|عندما)?\s*$")
_EN_WORDS = re.compile(r"[\w’']+")
_FIRST_WORD = re.compile(r"\w+")
_EN_POSSESSOR = re.compile(r"^\w+[’']s\s+(?=[A-Z])")


def tokenize(F: str, start: int, end: int) -> list[Token]:
    out = []
    punct = _PUNCT
    for m in _TOKEN.finditer(F, start, end):
        s, e = m.span()
        raw = m.group()
        if raw[0] in punct or raw[-1] in punct:
            lead = len(raw) - len(raw.lstrip(punct))
            trail = len(raw) - len(raw.rstrip(punct))
            cs, ce = s + lead, e - trail
            if ce <= cs:
                cs, ce = s, e
            out.append(Token(s, e, cs, ce, F[cs:ce], raw))
        else:
            out.append(Token(s, e, s, e, raw, raw))
    return out


class SentenceAttributor:
    """Finds the frames of one sentence (folded offsets)."""

    def __init__(self, F: str, text: str, fmap: list[int], lex: Lexicon, registry: Registry) -> None:
        self.F = F
        self.text = text
        self.fmap = fmap
        self.lex = lex
        self.reg = registry
        # first words of the two-word cue verbs ("pointed out"): a cheap test before the pair's
        self._two_word_first = frozenset(k.split()[0] for k in lex.cue_verbs if len(k.split()) == 2)
        self._head_vocab = _head_vocab(lex)
        self._recipient_prefixes = tuple(lex.recipient_media)
        # unions the rules test membership in (made once, not per test)
        self._report_statement = lex.report_nouns | lex.statement_nouns
        self._report_statement_ar = self._report_statement | {"بيانا", "دراسه"}
        self._report_translation = lex.report_nouns | lex.translation_nouns
        # the person an English sentence without a speaker opened with ("Health Minister Lina Farah
        # visited ..."): the antecedent of a later "she said" until another sentence names a speaker
        self._en_subject: list[Token] | None = None
        kinds = lex.kind_heads
        # heads a ل-genitive names the issuer by ("تقرير لصحيفة X", "بلاغ لرئاسة الحكومة")
        self._genitive_heads = frozenset().union(*(kinds.get(k, frozenset()) for k in ("outlet", "agency", "document", "government", "organisation")))

    def orig(self, fs: int, fe: int) -> Span:
        return self.fmap[fs], self.fmap[fe - 1] + 1

    def surface(self, fs: int, fe: int) -> str:
        a, b = self.orig(fs, fe)
        return self.text[a:b]

    # ---------------------------------------------------------------- shared helpers
    def _mention(self, toks: list[Token], *, kind: SourceKind | None = None, speaker: bool = True) -> tuple[Mention, Span, bool, bool]:
        """Mention of a source phrase; strips report/translation nouns ("تقرير لصحيفة X",
        "a Jerusalem Post report", "a translation by Al Arabiya")."""
        lex = self.lex
        words = [t.core for t in toks]
        all_toks = toks
        report = translation = issued_statement = False
        det_start = None
        if self.lex.lang == "ar":
            if len(toks) == 2 and _strip_w(toks[0].core) in _AR_AUTHOR_NOUNS and toks[1].core in lex.report_nouns:
                # "معدو الدراسة", "واضعو التقرير": the authors are the report's source
                anaphor = self.reg.latest(report=True, noun=toks[1].core)
                if anaphor is not None:
                    return anaphor, self._own_span(toks), True, False
            if len(toks) > 1 and toks[0].core in lex.statement_nouns and toks[1].core.startswith("ل") and not toks[1].core.startswith("لل") and (toks[1].core[1:] in self._head_vocab or "ال" + toks[1].core[1:] in self._head_vocab):
                report = True  # "بلاغ لرئاسة الحكومة", "بيان لوزارة الخارجية": the issuer's
                issued_statement = True  # what "البيان" later refers to
                toks = toks[1:]
            while toks and toks[0].core in self._report_translation:
                report |= toks[0].core in lex.report_nouns
                translation |= toks[0].core in lex.translation_nouns
                toks = toks[1:]
            if toks and toks[0].core in {"له", "لها"}:  # "في تقرير له": the subject wrote it
                toks = []
            if len(toks) == 1 and toks[0].core in _AR_THE_STATEMENT and self.reg.statement_issuer is not None:
                return self.reg.statement_issuer, self._own_span(toks), True, False  # "ووفقاً للبيان", "وأشار البيان"
            if report and toks and toks[0].core in {"غير", "اوليه", "رسميه", "متداوله", "حديثه", "جديده", "الرسميه", "الاوليه", "المتداوله", "الحديثه", "الجديده"}:
                toks = []  # "بحسب تقديرات غير رسمية", "وفق التقديرات الرسمية": described, not sourced
            if not toks and report and len(words) == 1 and words[0].startswith("ال"):
                anaphor = self.reg.latest(report=True, noun=words[0])
                if anaphor is not None:
                    return anaphor, self._own_span(all_toks), True, False
        else:
            lowered = [w.lower() for w in words]
            for i, w in enumerate(lowered):
                if w in lex.translation_nouns:
                    translation = True
                    rest = toks[i + 1 :]
                    if rest and rest[0].core in {"by", "of", "from"}:
                        rest = rest[1:]
                    toks = rest
                    break
            else:
                if len(toks) == 2 and toks[0].core == "the" and toks[1].core in self._report_statement:
                    anaphor = self.reg.latest(report=True, noun=toks[1].core)
                    if anaphor is not None:
                        return anaphor, self._own_span(all_toks), True, False
                if toks and toks[-1].core in lex.report_nouns and len(toks) > 1:
                    report = True
                    toks = toks[:-1]
                    if all(x.core in _EN_DETERMINERS_OF_REPORT for x in toks):
                        toks, kind = all_toks, SourceKind.DOCUMENT  # "the report" nobody named before
                elif len(toks) > 2 and toks[0].core in {"a", "the", "an"} and toks[1].core in lex.report_nouns and toks[2].core in {"by", "from", "of"}:
                    report = True
                    toks = toks[3:]
                elif len(toks) == 2 and toks[0].core == "the" and toks[1].core in self._report_statement:
                    anaphor = self.reg.latest(report=True, noun=toks[1].core)
                    if anaphor is not None:
                        return anaphor, anaphor.spans[0] if anaphor.spans else None, True, False
                det_start = toks[0].s if toks and toks[0].core in {"a", "an"} and len(toks) > 1 else None
                if toks and toks[0].core in {"a", "an"}:
                    toks = toks[1:]
        bracket_end = None
        if self.lex.lang == "ar" and len(toks) > 1 and ")" in toks[-1].raw:
            b = len(toks) - 1
            while b > 0 and not toks[b].raw.startswith("(") and len(toks) - b < 3:
                b -= 1
            if b > 0 and toks[b].raw.startswith("("):
                bracket_end = self.orig(toks[-1].s, toks[-1].e)[1]  # "(إيجاس)" stays in the span
                bracket_end = self.text.rfind(")", 0, bracket_end) + 1 or bracket_end
                toks = toks[:b]
        if not toks:
            return None, None, report, translation  # type: ignore[return-value]
        fs, fe = toks[0].s, toks[-1].e
        span = self.orig(fs, fe)
        phrase = clean(self.text[span[0] : span[1]])
        if self.lex.lang == "ar":
            first = phrase.split(" ", 1)
            f0 = toks[0].core
            if f0.startswith("لل"):
                phrase = "ال" + first[0][2:] + (" " + first[1] if len(first) > 1 else "")
            elif f0.startswith("ل") and (f0[1:] in self._genitive_heads or "ال" + f0[1:] in self._genitive_heads):
                phrase = first[0][1:] + (" " + first[1] if len(first) > 1 else "")
        else:
            phrase = _EN_POSSESSOR.sub("", phrase)
        # trim the span to the cleaned phrase
        a = self.text.find(phrase, span[0], span[1] + 1) if phrase else -1
        span = (a, a + len(phrase)) if a >= 0 else self._trim_span(span)
        if self.lex.lang == "en" and not report and not translation and det_start is not None:
            span = (self.orig(det_start, det_start + 1)[0], span[1])  # PolNeAR keeps "a"/"an" in the speaker
        if bracket_end is not None and bracket_end > span[1]:
            span = (span[0], bracket_end)
        mention = self.reg.get(phrase, span, kind=kind, speaker=speaker)
        if issued_statement and speaker:
            self.reg.statement_issuer = mention  # "ذكر بيان لمجلس X أن ... وأضاف البيان أن"
        if report and self.lex.lang == "ar" and all_toks is not toks and all_toks[0].core in lex.report_nouns and all_toks[0].core not in _AR_DATA_NOUNS and len(all_toks) > 1 and not all_toks[1].core.startswith("ل"):
            # "تقرير مركز دراسات الحرب" keeps the report; "بيانات البنك المركزي" is the bank's
            span = (self.orig(all_toks[0].cs, all_toks[0].ce)[0], span[1])
        data_only = self.lex.lang == "ar" and all(w in _AR_DATA_NOUNS for w in words[: len(all_toks) - len(toks)]) and len(all_toks) > len(toks)
        if report and not mention.report and mention.kind != SourceKind.PERSON and not data_only:
            mention.report = True  # (figures, "تقديرات X", are not a report that keeps speaking)
        if report and mention.kind == SourceKind.PERSON:
            mention.report = True
        return mention, span, report, translation

    def _own_span(self, toks: list[Token]) -> Span:
        return self._trim_span(self.orig(toks[0].s, toks[-1].e))

    def _trim_span(self, span: Span) -> Span:
        """Drop quotes, punctuation, a genitive ل and generic words (صحيفة, وكالة) at the edges."""
        a, b = span
        text = self.text
        while True:
            while a < b and (text[a] in _PUNCT or text[a].isspace()):
                a += 1
            while b > a and (text[b - 1] in _PUNCT or text[b - 1].isspace()):
                b -= 1
            m = _TOKEN.match(text[a:b])
            if not m:
                break
            word = fold(m.group()).strip(_PUNCT)
            bare = word[1:] if len(word) > 3 and word[0] in "لب" else word
            # 'صحيفة «الصباح»' keeps its head; 'تقرير لصحيفة "X"' does not (a genitive, not the name)
            quoted_name = text[a + m.end() : b].lstrip()[:1] in "\"“«" and word[:1] not in "لب"
            if (word in self.lex.generic_name_words or bare in self.lex.generic_name_words) and m.end() < b - a and not quoted_name:
                a += m.end()
                continue
            break
        # a quotation opened inside the phrase closes with it: 'مصدر في "غازبروم"', not '..."غازبروم'
        inner = text[a:b]
        if b < len(text) and ((text[b] == '"' and inner.count('"') % 2 == 1) or (text[b] == ")" and inner.count("(") > inner.count(")")) or (text[b] == "»" and inner.count("«") > inner.count("»")) or (text[b] == "”" and inner.count("“") > inner.count("”"))):
            b += 1
        return a, b

    def _np_forward(self, toks: list[Token], i: int, limit: int = 8) -> int:
        """Index one past the speaker phrase that starts at ``i`` (Arabic VSO / English post)."""
        j = self._np_forward_core(toks, i, limit)
        if self.lex.lang == "ar" and j > i and self.lex.given_names and self._head_word(toks[i].core) in self.lex.role_heads:
            j = self._through_given_name(toks, i, j)
        return j

    def _given_name(self, t: Token) -> bool:
        return is_given_name(self.lex, t.core, self.surface(t.cs, t.ce))

    def _through_given_name(self, toks: list[Token], i: int, j: int) -> int:
        """A title's phrase that stopped at a preposition or adjective before a personal name
        ("المبعوثة الأممية بالإنابة ستيفاني خوري", "المبعوث الخاص إلى السودان توم بيرييلو") runs
        through the name when a common given name (lexicons/ar_given_names.yaml) lies ahead,
        with only the title's own words (definite nouns, prepositions, at most two other words)
        between; no comma, complementiser, quote, cue, occasion or other stop word."""
        lex = self.lex
        if any(self._given_name(t) for t in toks[i:j]) or j >= len(toks):
            return j
        if toks[j - 1].comma_after or toks[j - 1].ends_sentence or toks[j - 1].quote_after:
            return j

        def blocks(n: int) -> bool:
            c = toks[n].core
            return bool(
                toks[n].quote_before
                or self._complementiser_at(toks, n)
                or self._verb(c) is not None
                or c in _AR_OCCASIONS
                or c in _AR_REPORTED_SPEECH
                or c in lex.nominal_objects
                or c in lex.report_nouns
                or c in lex.statement_nouns
                or self._recipient(c)
            )

        m, loose = j, 0
        while m < len(toks) and m - j < 7:
            t = toks[m]
            if self._given_name(t):
                break
            c = t.core
            if blocks(m) or (c in lex.np_stops and c not in TITLE_PREPOSITIONS):
                return j
            if not (c.startswith(("ال", "بال", "لل", "وال", "ل")) or c in TITLE_PREPOSITIONS):
                loose += 1
                if loose > 2:
                    return j
            if t.comma_after or t.ends_sentence or t.quote_after:
                return j
            m += 1
        else:
            return j
        if m >= len(toks):
            return j
        n = m + 1
        while n < len(toks) and n - m < 4 and not (toks[n - 1].comma_after or toks[n - 1].ends_sentence or toks[n - 1].quote_after):
            c = toks[n].core
            if blocks(n) or c in lex.np_stops or c.startswith(("بال", "لل")):
                break
            n += 1
        return n

    def _np_forward_core(self, toks: list[Token], i: int, limit: int = 8) -> int:
        lex = self.lex
        j = i
        affiliated = False
        if self.lex.lang == "ar" and i < len(toks) and self._head_word(toks[i].core) in lex.role_heads:
            limit = max(limit, 13)  # "المتحدث الرسمي باسم القوات المسلحة العميد الركن نبيل عبد الله"
        while j < len(toks) and j - i < limit:
            t = toks[j]
            core = t.core
            if j > i and t.quote_before and self.lex.lang == "ar" and toks[j - 1].core not in _AR_NAMED_BY_QUOTE and not (j - 1 > i and _strip_w(toks[j - 1].core) in _AR_NAMED_BY_QUOTE):
                break  # (a second body's quoted name, 'ومنظمة "X"', in a joint subject)
            online = core == "علي" and j == i + 1 and _strip_w(toks[i].core) in _AR_ONLINE_HEADS  # "صفحات على مواقع التواصل"
            if (core == "في" or online) and self.lex.lang == "ar" and j > i and j + 1 < len(toks) and not toks[j - 1].comma_after and toks[j + 1].core not in _AR_OCCASIONS and self._affiliated_head(toks[i:j]):
                # "مسؤول في الميناء", "الخبير في شؤون الطاقة", "مصدر في «غازبروم»": the affiliation
                j += 1
                if toks[j].quote_before:
                    while j < len(toks) - 1 and j - i < limit + 4 and not toks[j].quote_after:
                        j += 1
                j += 1
                loose = 0
                while j < len(toks) and not toks[j - 1].comma_after and not toks[j - 1].quote_after and j - i < limit + 4:
                    c = toks[j].core
                    if toks[j].quote_before and toks[j - 1].core in _AR_NAMED_BY_QUOTE:
                        while j < len(toks) - 1 and j - i < limit + 6 and not toks[j].quote_after:
                            j += 1  # 'مصدر في شركة "كار" المشغلة للحقل': the company's quoted name
                        j += 1
                        while j < len(toks) and j - i < limit + 8 and not toks[j - 1].comma_after and toks[j].core.startswith(("ال", "لل")) and toks[j].core not in lex.np_stops and not self._recipient(toks[j].core):
                            j += 1  # and what describes it
                        break
                    elif c.startswith(("ال", "وال")) and c not in lex.np_stops:  # not "إلى"
                        j += 1
                    elif c.startswith("لل") and len(c) > 4 and toks[j - 1].core.startswith(("ال", "لل")) and not self._recipient(c):
                        j += 1  # "مسؤول في منظمة الأمم المتحدة للطفولة": the organisation's genitive
                    elif toks[j].raw.startswith("(") and ")" in toks[j].raw:
                        j += 1  # "(يونيسف)": its acronym closes the phrase
                        break
                    elif c.startswith("ب") and len(c) > 3 and _entity_word(c[1:]):
                        j += 1  # "تاجر في سوق الحوت ببنغازي": ب + a place the gazetteer knows
                    elif c in _AR_PLACE_WORDS and j + 1 < len(toks) and not toks[j].comma_after:
                        j += 1  # "في مخيم قرب مدينة بيدوا": a place noun or "near" before the place's name
                        nxt = toks[j].core
                        if nxt not in _AR_PLACE_WORDS and not nxt.startswith("ال") and nxt not in lex.np_stops and not self._complementiser_at(toks, j) and not toks[j].quote_before and self._verb(nxt) is None:
                            j += 1
                    elif loose < 2 and not c.startswith(("ب", "ل", "ت")) and c not in lex.np_stops and c not in _AR_REPORTED_SPEECH and c not in lex.nominal_objects and _noun_base(c) not in lex.nominal_objects and not self._complementiser_at(toks, j) and not toks[j].quote_before and self._verb(c) is None:
                        loose += 1  # "في مدينة سرت", "في شركة ملاحة أوروبية"
                        j += 1
                    else:
                        break
                if self._head_word(toks[i].core) in lex.role_heads and j < len(toks) and not toks[j - 1].comma_after:
                    continue  # "الخبير في شؤون الطاقة علي الهاجري": the name follows the title
                break
            if self.lex.lang == "ar" and j > i and ((toks[j - 1].core in self._report_statement and core[:1] == "ب" and not core.startswith("بال")) or core in self._report_statement):
                if j == i + 1 and _strip_w(toks[i].core) in _AR_AUTHOR_NOUNS and core in lex.report_nouns:
                    j += 1  # "معدو التقرير": the authors of the report
                break  # "التقرير بإنشاء", "مركز X تقريرا": the report noun ends the phrase
            if self.lex.lang == "ar" and j > i and core in lex.participles:
                break  # "وتابع بنعلي قائلاً إن": the participle opens the content
            if self.lex.lang == "ar" and core in lex.manner:
                break  # "وأضاف X مستدركاً أن", "وأضافت مستدركةً:": how it was said, not who said it
            if self.lex.lang == "ar" and j == i + 1 and core == "من" and j + 1 < len(toks) and _strip_w(toks[i].core) in lex.anonymous_heads and not toks[i].comma_after and self._home_town(toks, j + 1):
                j += 2  # "تاجر فواكه من درعا": an unnamed source's home town
                continue
            if self.lex.lang == "ar" and j == i + 2 and core == "من" and j + 1 < len(toks) and _strip_w(toks[i].core) in lex.anonymous_heads and not toks[j - 1].comma_after and not toks[j - 1].core.startswith("ال") and self._home_town(toks, j + 1):
                j += 2
                continue
            if self.lex.lang == "ar" and j > i and core in _AR_ISSUED_BY and toks[i].core in lex.report_nouns:
                break  # "دراسة جديدة أصدرها مركز X": the issuer follows (see _issuer)
            if self.lex.lang == "ar" and j > i and t.raw.startswith("("):
                # "وكالة الأنباء القطرية (قنا)": the acronym in brackets closes the phrase (its
                # span, not its name: _mention reads the name without it)
                m = j
                while m < len(toks) and m - j < 3 and ")" not in toks[m].raw:
                    m += 1
                if m < len(toks) and m - j < 3 and ")" in toks[m].raw and not any(x.quote_before for x in toks[j : m + 1]):
                    j = m + 1
                break
            if self.lex.lang == "ar" and j > i and core == "نقلا":
                break
            if self.lex.lang == "ar" and j > i and t.quote_before and (toks[j - 1].core in _AR_NAMED_BY_QUOTE or (j - 1 > i and _strip_w(toks[j - 1].core) in _AR_NAMED_BY_QUOTE)):
                # "صحيفة «كوميرسانت» الروسية": the quoted name and its adjective
                while j < len(toks) and j - i < limit + 4 and not toks[j].quote_after and not toks[j].comma_after:
                    j += 1
                j += 1
                if j < len(toks) and toks[j].core.startswith("ال") and toks[j].core.endswith(("ي", "يه")) and not toks[j - 1].comma_after:
                    j += 1
                if j <= len(toks) and toks[j - 1].comma_after:
                    break
                continue
            if core == "الي" and self.lex.lang == "ar" and j > i and self._head_word(toks[i].core) in lex.role_heads and j + 1 < len(toks) and _entity_word(toks[j + 1].core):
                j += 2  # "المبعوث الأمريكي الخاص إلى السودان توم بيرييلو"
                if toks[j - 1].comma_after:
                    break  # "... إلى ليبيا، يان كوبيش،": the name is apposed (see _comma_apposition)
                continue
            if self.lex.lang == "ar" and ((core == "من" and toks[j - 1].core in _AR_CLOSE_TO) or (core == "علي" and toks[j - 1].core in _AR_FAMILIAR)) and j > i and not toks[j - 1].comma_after and j + 1 < len(toks):
                j += 1  # "مصادر مقربة من اللاعب": whom the unnamed source is close to
                while j < len(toks) and j - i < limit + 3 and toks[j].core.startswith(("ال", "لل")) and toks[j].core not in lex.np_stops:
                    j += 1
                    if toks[j - 1].comma_after or toks[j - 1].ends_sentence:
                        break
                if j < len(toks) and not toks[j - 1].comma_after and not toks[j].core.startswith("ال") and self._complementiser_at(toks, j) == 0 and toks[j - 1].core in {"من", "علي"} and (toks[j].core not in lex.np_stops and toks[j].core not in _AR_REPORTED_SPEECH):
                    j += 1  # "مقربة من حماس": a name without the article; "مطلع على ملف التمويل": a construct
                    while j < len(toks) and not toks[j - 1].comma_after and toks[j].core.startswith("ال") and toks[j].core not in lex.np_stops and j - i < limit + 4:
                        j += 1  # its definite genitive
                break
            if core in lex.np_stops and not (core in {"علي", "الي"} and j > i and self.surface(t.cs, t.ce).endswith("ي")):
                break  # (علي written with ya is the name Ali, not the preposition على)
            if self._complementiser_at(toks, j):
                break
            if self.lex.lang == "ar" and (j == i + 1 or (j == i + 2 and toks[i + 1].core in _AR_SOURCE_ADJECTIVES)) and core.startswith("بال") and len(core) > 5 and _strip_w(toks[i].core) in lex.anonymous_heads and not toks[j - 1].comma_after and not self._recipient(core):
                j += 1  # "مصادر بالشركة القابضة", "مسؤول بالوزارة": the unnamed source's affiliation
                affiliated = True
                if t.comma_after or t.ends_sentence:
                    break
                continue
            if self.lex.lang == "ar" and j > i and core.startswith("لل") and affiliated and toks[j - 1].core.startswith(("ال", "بال")):
                j += 1  # "مصادر بالشركة القابضة للغازات الطبيعية": the affiliation's genitive
                if t.comma_after or t.ends_sentence:
                    break
                continue
            if self.lex.lang == "ar" and j > i and (core.startswith(("بال", "لل", "كال")) or self._recipient(core)):
                head = self._head_word(toks[i + 1].core if toks[i].core in _AR_DATA_NOUNS and j > i + 1 else toks[i].core)  # "بيانات الهيئة العامة للإحصاء"
                head = head[2:] if head.startswith("ال") and len(head) > 4 else head
                organisation = any(head in heads or "ال" + head in heads for heads in lex.kind_heads.values()) or self._head_word(toks[i].core) in lex.role_heads
                if not core.startswith("لل") or self._recipient(core) or not (organisation or fold(toks[j - 1].core) in {"التابع", "التابعه", "الرسميه", "المقرب", "المقربه", "القريبه", "القريب", "الموالي", "المواليه", "الناطقه", "الناطق"}):
                    break  # but "وكالة الأنباء التابعة للنظام", "الهيئة العليا للانتخابات": a genitive of the name
            if self.lex.lang == "ar" and j - i >= 2 and core in _AR_REPORTED_SPEECH:
                break
            if self.lex.lang == "ar" and j - i >= 2 and core.startswith("ال") and not core.endswith(("ي", "يه", "يين", "يون", "ين")) and toks[j - 1].core.startswith("ال") and toks[j - 1].core.endswith(("يه", "ي")) and toks[j - 1].core not in self._head_vocab and toks[j - 1].core[2:] not in self._head_vocab and self._head_word(toks[i].core) not in lex.role_heads and not any(x.core.startswith("لل") for x in toks[i:j]):
                break  # "البحرية الأوكرانية الاتهامات": a definite noun after the adjective is the object
            if self.lex.lang == "ar" and j - i >= 2 and not core.startswith("ال"):
                names = sum(1 for x in toks[i:j] if not x.core.startswith(("ال", "و")) and x.core not in lex.role_heads)
                described = any(toks[i].core in heads for heads in lex.kind_heads.values()) or toks[i].core in lex.anonymous_heads
                if names == 0 and core[:1] == "ت" and len(core) >= 4 and toks[j - 1].core.startswith("ال") and not self._known_name_token(core):
                    break  # "القيادة المركزية الأمريكية تعرّض": a verbal noun opens the object
                if core.endswith("وا"):
                    break  # "شهود عيان تحدثوا": a plural verb, not a name
                if names >= 2 and not described and core.startswith("ب") and core != "بن" and not core.startswith("بن ") and toks[j - 1].core.startswith("ال") and not self._given_name(t):
                    break  # "سعد بن شريدة الكعبي بوقف الشحنات": a ب-object after the family name
                construct = toks[j - 1].core in _AR_PLACE_WORDS or toks[j - 1].core in PLACE_HEADS  # "حكومة إقليم كردستان"
                if names >= 2 and not described and ((_entity_word(core) and not core.endswith(("ي", "يه")) and not construct) or (core[:1] == "ت" and len(core) >= 4 and not self._known_name_token(core))):
                    break  # "محمد شياع السوداني تلقي بغداد": the name ends before the verbal noun
            if self.lex.lang == "ar" and j - i >= 1 and (core in lex.nominal_objects or _noun_base(core) in lex.nominal_objects):
                break  # "خالد العمر صحة الأنباء", "امدو وجود": the object of a denial, not the name
            if self.lex.lang == "en" and (core in _EN_CLAUSE_BREAK or core in {"on", "in", "at", "to", "that", "during", "after", "adding", "saying"}):
                break
            j += 1
            if t.comma_after or t.ends_sentence or t.raw.endswith(":"):
                break
        return j

    def _head_word(self, core: str) -> str:
        """A phrase's first word without a conjunction و/ف, unless the word is itself a title or
        a head noun that begins with و (وزير, وزارة, وكالة: not و + زير)."""
        vocab = self._head_vocab
        if core in vocab or (core.startswith("ال") and core[2:] in vocab):
            return core
        return _strip_w(core)

    def _affiliated_head(self, np: list[Token]) -> bool:
        """Whether a phrase can take a "في ..." affiliation: an unnamed source, a title or an
        organisation (optionally after a number: "ثلاثة مصادر")."""
        lex = self.lex
        for x in np[:2]:
            w = self._head_word(x.core)
            bare = w[2:] if w.startswith("ال") and len(w) > 4 else w
            if w in lex.anonymous_heads or w in lex.role_heads or bare in lex.anonymous_heads or any(w in h or bare in h for h in lex.kind_heads.values()):
                return True
        return False

    def _recipient(self, core: str) -> bool:
        return core.startswith(self._recipient_prefixes) or bool(_AR_TOLD_QUOTED.match(core))

    def _arabic_np(self, subject: list[Token]) -> bool:
        """Whether an Arabic speaker phrase can be a noun phrase: it does not open with an
        adverbial or preposition ("بعد", "دون"), and a lone word is not a finite verb
        ("قصفت") unless the document already knows it as a name."""
        lex = self.lex
        head = subject[0].core
        bare = head[1:] if head[:1] in "وف" and len(head) > 3 else head
        if head in _AR_NOT_SPEAKER or bare in _AR_NOT_SPEAKER or head in lex.np_stops:
            return False
        lone_unknown_word = (
            len(subject) == 1 and not head.startswith("ال") and bare not in lex.role_heads and bare not in lex.anonymous_heads
        )
        looks_like_verb = (
            self._verb(head) is not None
            or (bare.endswith("ت") and not (len(bare) >= 5 and bare.endswith("ات")) and not self._known_name_token(bare))  # (not a plural: صفحات)
            or (bare[:1] in "يت" and len(bare) >= 4 and not self._known_name_token(bare))
        )
        return not (lone_unknown_word and looks_like_verb and not self._known_name_token(head))  # (فيريرا: a known name, not ف + a verb)

    def _complementiser_at(self, toks: list[Token], j: int) -> int:
        """Number of tokens of a complementiser starting at ``j`` (0 if none)."""
        if j >= len(toks):
            return 0
        core = toks[j].core
        if self.lex.lang == "ar":
            if core in {"الي", "علي"} and j + 1 < len(toks) and toks[j + 1].core in {"ان", "انه", "انها", "انهم"}:
                return 2
            if core in {"ان", "انه", "انها", "انهم", "انهما", "بان", "بانه", "بانها"}:
                return 1
            return 0
        return 1 if core == "that" else 0

    def _verb(self, core: str) -> tuple[str, bool] | None:
        """(lexicon form, has object suffix) when ``core`` is a cue verb with clitics."""
        cache = _VERB_CACHE.setdefault(self.lex.lang, {})
        if core not in cache:
            cache[core] = self._verb_uncached(core)
        return cache[core]

    def _verb_uncached(self, core: str) -> tuple[str, bool] | None:
        cands = [core]
        if self.lex.lang == "ar":
            if len(core) > 3 and core[0] in "وف":
                cands.append(core[1:])
            out = []
            for c in cands:
                out.append((c, False))
                for suf in ("ها", "هم", "ه"):
                    if c.endswith(suf) and len(c) - len(suf) >= 3:
                        out.append((c[: -len(suf)], True))
            for c, suffixed in out:
                if c in self.lex.cue_verbs and not (suffixed and c[:1] in "يت"):
                    return c, suffixed  # an imperfect with an object ("تعتبره") is not a speech cue
            return None
        return (core, False) if core in self.lex.cue_verbs else None

    # ---------------------------------------------------------------- per sentence
    def frames(self, s: int, e: int) -> list[Frame]:
        toks = tokenize(self.F, s, e)
        if not toks:
            return []
        self._starts(toks, s, e)
        frames = self._arabic(toks, s, e) if self.lex.lang == "ar" else self._english(toks, s, e)
        frames.sort(key=lambda f: f.clause_start)
        self._bound_contents(frames, toks, s, e)
        return frames

    def _starts(self, toks: list[Token], s: int, e: int) -> None:
        """Pre-scan a sentence for "according to" and "reportedly" openings (by position)."""
        self._acc_at = {m.start(): m for m in self.lex.according_re.finditer(self.F, s, e)}
        self._rep_at = {m.start(): m for m in self.lex.reportedly_re.finditer(self.F, s, e)}

    def _according(self, toks: list[Token], i: int, s: int, e: int) -> tuple[Frame, int] | None:
        m = self._rep_at.get(toks[i].cs)
        if m and (i == 0 or self._opener_before(toks, i)):
            end_i = i
            while end_i < len(toks) and toks[end_i].s < m.end():
                end_i += 1
            frame = Frame("reportedly", toks[i].s, (toks[i].cs, m.end()), relation=Relation.REPORTED, distancing=True, leading=True)
            frame.content = (toks[end_i].s, e) if end_i < len(toks) else None
            return frame, end_i
        m = self._acc_at.get(toks[i].cs)
        if not m:
            return None
        j = i
        while j < len(toks) and toks[j].s < m.end():
            j += 1
        if j < len(toks) and toks[j].core == "ما" and j + 1 < len(toks):
            j += 2  # "وفق ما يختم التقرير", "حسبما أعلن"
        elif self.lex.lang == "ar" and j < len(toks) and toks[j - 1].core.endswith("ما") and (self._verb(toks[j].core) is not None or toks[j].core in _AR_BROADCAST) and j + 1 < len(toks):
            j += 1  # "وحسبما أوردته صحيفة X": the verb after حسبما
        if self.lex.lang == "ar" and j < len(toks) and toks[j].core in {"به", "بها", "عنه", "عنها"} and j > i + 1 and toks[j - 2].core.endswith("ما"):
            j += 1  # "وحسب ما أفادت به مصادر": the verb's preposition, not the source
        if j >= len(toks):
            return None
        k = j
        timed = None
        while k < len(toks) and k - j < 9:
            t = toks[k]
            if k > j and (t.core in {"فان", "فانه", "ان", "that"} or t.core in self.lex.relative_openers or t.core in _AR_RECEIVED):
                break  # (and "بلاغ لرئاسة الحكومة تلقت X نسخة منه": the copy received ends the source)
            if k > j + 1 and self.lex.lang == "ar" and t.core in _AR_ISSUED and (k + 1 >= len(toks) or toks[k + 1].core != "عن"):
                timed = k  # "وحسب تقرير X الصادر في أكتوبر": when it was issued, not who issued it
                break
            if k > j and self.lex.lang == "ar" and (t.core in _AR_TIME_WORDS or t.core in _AR_ADVERBIALS):
                timed = k  # "بحسب تقرير صادر عن البنك الدولي الشهر الماضي": a date ends the source
                break
            k += 1
            if t.comma_after or t.ends_sentence:
                break
        if k == j:
            return None
        relayed = None
        told = None
        if self.lex.lang == "ar":
            # the source phrase ends before a relative verb ("شهود عيان تحدثوا للموقع") or the
            # medium it told ("مسؤول في المجلس لـ«بوابة طرابلس»", a relay like the verb path's)
            end = next((n for n in range(j + 1, k) if (toks[n].core.endswith("وا") and len(toks[n].core) > 4) or _AR_TOLD_QUOTED.match(toks[n].core)), None)
            if end is not None:
                if _AR_TOLD_QUOTED.match(toks[end].core):
                    a, b = self.orig(toks[end].s, toks[k - 1].e)
                    q = min((a + self.text[a:b].find(c) for c in "«\"“" if c in self.text[a:b]), default=a)
                    inner = self._trim_span((q, b))
                    if inner[1] > inner[0]:
                        told = (self.reg.get(self.text[inner[0] : inner[1]], inner, kind=SourceKind.OUTLET, speaker=False), inner)
                k_source = end
            else:
                k_source = k
            issued = next((n for n in range(j, k_source - 2) if toks[n].core in _AR_ISSUED and toks[n + 1].core == "عن"), None)
            if issued is not None:  # "بحسب تقرير صادر عن البنك الدولي": the bank issued it
                j = issued + 2
            pub = next((n for n in range(j + 1, k_source - 1) if toks[n].core in _AR_BROADCAST or (toks[n].core in _AR_ISSUED_BY and toks[j].core in self.lex.report_nouns)), None)
            if pub is not None:  # "وفق معطيات رسمية نشرتها وزارة التجهيز", "بحسب دراسة أجرتها X": who published them
                j = pub + 1
            cut = next((n for n in range(j + 1, k - 1) if toks[n].core == "عن"), None)
            if cut is not None:  # "وفق ما نقلت وكالة رويترز عن مصدرين مطلعين": the agency relays them
                relayed = self._mention(toks[j:cut], speaker=False)
                j = cut + 1
        mention, span, report, translation = self._mention(toks[j : k_source if self.lex.lang == "ar" else k], speaker=False)
        if mention is None:
            return None
        if self.lex.lang == "ar" and k + 3 < len(toks) and toks[k - 1].comma_after and toks[k].core in {"التي", "الذي"} and toks[k + 1].core in {"نقلت", "نقل"} and toks[k + 2].core == "عن":
            # "وبحسب وكالة رويترز، التي نقلت عن مصدرين في قطاع النفط، فإن": the agency relays them
            m2 = self._np_forward(toks, k + 3)
            if m2 > k + 3 and toks[m2 - 1].comma_after:
                origin, ospan, _, _ = self._mention(toks[k + 3 : m2], speaker=False)
                if origin is not None and origin is not mention:
                    relayed, mention, span, k = (mention, span), origin, ospan, m2
        # trailing: the phrase ends the sentence, or only a relative clause about the source follows
        # ("بحسب وكالة تسنيم القريبة من فيلق القدس", "according to Tasnim, which is close to ...")
        trailing = k >= len(toks) or toks[k].core in self.lex.relative_openers or toks[k].core in _AR_RECEIVED
        leading = (i == 0 or self._opener_before(toks, i)) and not (trailing and i > 0)
        frame = Frame(
            "according",
            toks[i].s if leading else (toks[i].s),
            (toks[i].cs, toks[k - 1].ce),
            speaker=span,
            relation=Relation.TRANSLATED if translation else Relation.REPORTED,
            mention=mention,
            leading=leading,
            trailing=trailing and not leading,
            translation=translation,
            report_intro=report,
        )
        if told is not None and told[0] is not mention:
            frame.relays.append((told[0], Relation.REPORTED, told[1]))
        if relayed is not None and relayed[0] is not None and relayed[0] is not mention:
            frame.relays.append((relayed[0], Relation.REPORTED, relayed[1]))
        if leading:
            nxt = k
            if timed is not None:  # the date's words up to its comma belong to the cue, not the content
                end_date = next((n for n in range(timed, min(timed + 4, len(toks))) if toks[n].comma_after), None)
                nxt = end_date + 1 if end_date is not None else nxt
            if nxt < len(toks) and toks[nxt].core in {"فان", "فانه"}:
                nxt += 1
            frame.content = (toks[nxt].s, e) if nxt < len(toks) else None
            frame.content_start_index = nxt
        return frame, (len(toks) if trailing else k)

    def _opener_before(self, toks: list[Token], i: int) -> bool:
        if i == 0:
            return True
        prev = toks[i - 1]
        if prev.comma_after or prev.raw.endswith(("“", '"', "«")):
            return True
        return prev.core in self.lex.clause_openers or prev.core in {"كذلك", "ايضا"}

    # ---------------------------------------------------------------- Arabic
    def _arabic(self, toks: list[Token], s: int, e: int) -> list[Frame]:
        lex = self.lex
        frames: list[Frame] = []
        i = 0
        openers = self._acc_at.keys() | self._rep_at.keys()  # where an "according to"/"reportedly" frame can start
        while i < len(toks):
            t = toks[i]
            acc = self._according(toks, i, s, e) if t.cs in openers else None
            if acc:
                frames.append(acc[0])
                i = max(acc[1], i + 1)
                continue
            if t.core in lex.participles and i > 0:
                j = i + 1
                n = self._complementiser_at(toks, j)
                frame = Frame("participle", t.s if not toks[i - 1].comma_after else toks[i - 1].ce, (t.cs, t.ce))
                frame.content = (toks[j + n].s, e) if j + n < len(toks) else None
                frame.speaker = None
                frame.mention = self.reg.last_speaker  # the speaker so far ("رحبت الغرفة بالقرار، معتبرة أنه")
                frames.append(frame)
                i = j + n
                continue
            if t.core in _AR_ANNOUNCE:
                made, nxt = self._announcement(toks, i, e)
                if made:
                    frames.extend(made)
                    i = nxt
                    continue
            if t.core in _AR_PUBLISH and i + 1 < len(toks):
                k = self._np_forward(toks, i + 1)
                if i + 1 < k < len(toks) and toks[k].core in self._report_statement_ar:
                    mention, _, _, _ = self._mention(toks[i + 1 : k])
                    if mention is not None:
                        mention.report = True  # its report is what "التقرير" refers back to
            verb = self._verb(t.core)
            if verb is None and t.core == "ورد" and i + 1 < len(toks) and (toks[i + 1].core.startswith("ال") or toks[i + 1].core in lex.anonymous_heads or toks[i + 1].core in lex.role_heads):
                verb = ("رد", False)  # "وردّ المحامي قائلاً", "ورد مصدر": و + ردّ (replied), not ورد (was mentioned)
            if verb is not None and i > 0 and toks[i - 1].core == "عدم":
                verb = None  # "طلب عدم ذكر اسمه": declining to be named, not a cue
            if verb is not None and verb[0] in _AR_BAYYANA and not self._bayyana(toks, i):
                verb = None  # بين "between"
            needs_an = verb is not None and (verb[0] in {"عبر", "عبرت"} or (verb[0] in {"نقل", "نقلت"} and not verb[1]))
            if verb and not (needs_an and not any(x.core == "عن" for x in toks[i + 1 : i + (6 if verb[0] in {"عبر", "عبرت"} else 10)])):
                # "عبّر عن", "نقل عن": without عن they are the nouns "crossing" and "transport"
                frame, nxt = self._arabic_verb(toks, i, verb, s, e, frames)
                if frame:
                    frames.append(frame)
                    i = nxt
                    continue
            exp = t.core[1:] if len(t.core) > 3 and t.core[0] in "وف" else t.core
            lead_acc = bool(frames) and frames[-1].kind == "according" and frames[-1].leading and i == frames[-1].content_start_index
            if (exp in lex.expressive or t.core in lex.expressive) and (i == 0 or lead_acc or (i <= 2 and toks[i - 1].comma_after)):
                j = self._np_forward(toks, i + 1, limit=4)
                if j > i + 1:
                    mention, span, _, _ = self._mention(toks[i + 1 : j])
                    if mention is not None and mention.kind == SourceKind.PERSON and mention.names:
                        frame = Frame("expressive", t.s, None, speaker=span, mention=mention)
                        frame.content = (t.s, e)
                        frames.append(frame)
                        i = j
                        continue
            i += 1
        return frames

    def _announcement(self, toks, i, e):
        """Nominal cue: "إعلان (كل من) X، وY، CONTENT" / "إعلان الرئيس الأمريكي CONTENT"."""
        lex = self.lex
        j = i + 1
        cue_end = toks[i].ce
        if j + 1 < len(toks) and toks[j].core == "كل" and toks[j + 1].core == "من":
            cue_end = toks[j + 1].ce
            j += 2
        nps: list[tuple[int, int]] = []
        while j < len(toks) and len(nps) < 4:
            first = toks[j].core
            bare = first[1:] if first.startswith("و") and len(first) > 3 else first
            if bare not in lex.role_heads:
                break
            k = j + 1
            while k < len(toks) and toks[k].core.startswith("ال") and not toks[k - 1].comma_after:
                k += 1
            if not toks[k - 1].comma_after:
                # a name after the title only when it is a name the document already knows
                m = k
                while m < len(toks) and m - k < 3 and not toks[m - 1].comma_after and self._known_name_token(toks[m].core):
                    m += 1
                k = m
            nps.append((j, k))
            if toks[k - 1].comma_after and k < len(toks) and toks[k].core.startswith("و") and toks[k].core[1:] in lex.role_heads:
                j = k
                continue
            j = k
            break
        if not nps or j >= len(toks):
            return [], i + 1
        frames = []
        for a, b in nps:
            sub = toks[a:b]
            if sub[0].core.startswith("و") and sub[0].core[1:] in lex.role_heads:
                mention, span, _, _ = self._mention(sub)
                span = (self.orig(sub[0].cs + 1, sub[0].ce)[0], span[1]) if span else span
            else:
                mention, span, _, _ = self._mention(sub)
            if mention is None:
                continue
            frame = Frame("verb", toks[i].s, (toks[i].cs, cue_end), speaker=span, mention=mention)
            frame.content = (toks[j].s, e)
            frames.append(frame)
        return frames, j

    def _postposed(self, toks: list[Token], i: int, p: int, relation, cue_mod, form: str):
        """A speaker after the quote ('"..."، هكذا قال X', '«...»، يقول X'): the quotation that
        closes just before the cue (after a comma, with an optional هكذا) is the content."""
        if toks[i].core != form or (i + 1 < len(toks) and toks[i + 1].core in _AR_PRONOUN_OBJECTS):
            return None  # "، ودعا أنصاره" opens a new clause; "، خلص فيها إلى" continues the subject's
        q_end = p - 1 if p >= 0 and toks[p].core in {"هكذا", "وهكذا"} else p
        if q_end < 0 or not toks[q_end].quote_after or not (toks[q_end].comma_after or (q_end < p and toks[q_end].raw.rstrip().endswith(("،", ",")))):
            return None
        q = q_end
        while q > 0 and not toks[q].quote_before and q_end - q < 60:
            q -= 1
        if not toks[q].quote_before or (q > 0 and toks[q - 1].core in {"بعنوان", "عنوان", "عنوانه", "شعار", "بشعار"}):
            return None  # 'بعنوان "..."': a title, not a quotation
        k = self._np_forward(toks, i + 1)
        if k <= i + 1 or not self._arabic_np(toks[i + 1 : k]):
            return None
        mention, span, _, _ = self._mention(toks[i + 1 : k])
        if mention is None:
            return None
        frame = Frame("verb", toks[q].s, (toks[i].cs, toks[i].ce), relation=relation, cue_modality=cue_mod, distancing=form in self.lex.distancing)
        frame.mention, frame.speaker = mention, span
        frame.content = (toks[q].s, toks[q_end].e)
        return frame, k

    def _anonymity_aside(self, toks: list[Token], p: int) -> list[Token] | None:
        """The subject before an aside on its anonymity that ends at the comma before the verb
        ("مسؤول في الوزارة، رفض الكشف عن اسمه لأنه غير مخول، نفى"): the noun phrase before the
        aside's opening comma, when the aside opens with a verb of declining to be named."""
        if p < 2 or not toks[p].comma_after:
            return None
        q = p - 1
        while q >= 0 and p - q < 16 and not toks[q].comma_after:
            if toks[q].ends_sentence:
                return None
            q -= 1
        if q < 0 or not toks[q].comma_after or toks[q + 1].core not in _AR_ANONYMITY:
            return None
        r = q
        while r > 0 and q - r < 8 and not toks[r - 1].comma_after and not toks[r - 1].ends_sentence:
            r -= 1
        subject = toks[r : q + 1]
        while subject and (subject[0].core in self.lex.clause_openers or subject[0].core in _AR_CONTRASTIVE or subject[0].core == "ان"):
            subject = subject[1:]
        return subject if subject and self._arabic_np(subject) else None

    def _comma_apposition(self, toks: list[Token], j: int, k: int) -> tuple[int, int] | None:
        """The name apposed after a title and a comma ("حاكم المصرف بالإنابة، وسام عون، إن",
        "المتحدث باسم الحكومة، السفير ياسر فهمي، بأن"): the token range of the name (an optional
        honorific, then a given name and up to three more words) when the title opens with a
        title word and the name is closed by a comma, a complementiser or a quotation."""
        if self.lex.lang != "ar" or k >= len(toks) or self._head_word(toks[j].core) not in self.lex.role_heads:
            return None
        end = k
        while end < len(toks) and end - k < 5 and not toks[end - 1].comma_after and self._title_tail(toks, end):
            end += 1  # "حاكم مصرف لبنان بالإنابة،", "مدير الإعلام في الوزارة بالإقليم،", "... بمدينة أدري،"
        if not toks[end - 1].comma_after or end >= len(toks):
            return None
        a = end
        n = a
        while n < len(toks) and n - a < 2 and toks[n].core in _AR_HONORIFICS and not toks[n].comma_after:
            n += 1
        if n >= len(toks):
            return None
        ali = toks[n].core in {"علي", "الي"} and self.surface(toks[n].cs, toks[n].ce).endswith("ي")  # the name Ali, not على
        if toks[n].core.startswith("ال") or (toks[n].core in self.lex.np_stops and not ali) or toks[n].quote_before or self._verb(toks[n].core) is not None:
            return None
        b = n + 1
        while b < len(toks) and b - n < 4 and not (toks[b - 1].comma_after or toks[b - 1].ends_sentence or toks[b - 1].quote_after):
            c = toks[b].core
            if toks[b].quote_before or self._complementiser_at(toks, b) or self._verb(c) is not None or c in self.lex.np_stops or c in _AR_OCCASIONS or c in _AR_REPORTED_SPEECH:
                break
            b += 1
        closed = toks[b - 1].comma_after or (b < len(toks) and (self._complementiser_at(toks, b) or toks[b].quote_before))
        # a name the lists know, or two or three plain words between two commas ("، كلير دوبوا،")
        named = self._has_given_name(toks, n, b) or (toks[b - 1].comma_after and 2 <= b - n <= 3 and not toks[n].core.startswith("ال"))
        if self._head_word(toks[n].core) in self.lex.role_heads and not self._has_given_name(toks, n, b):
            named = False  # "المحامي X Y، عضو هيئة الدفاع،": a second title, not the name
        return (a, b) if closed and named else None

    def _apposed_mention(self, toks: list[Token], j: int, app: tuple[int, int]) -> tuple[Mention, Span, int]:
        """The mention of a name apposed after the title that starts at ``j`` (the title
        becomes its role), its span and the index after the name."""
        a, b = app
        title = clean(self.surface(toks[j].cs, toks[a - 1].ce))
        span = self._own_span(toks[a:b])
        mention = self.reg.get(self.text[span[0] : span[1]], span)
        if mention.kind == SourceKind.PERSON and title not in mention.roles:
            mention.roles.append(title)
        return mention, span, b

    def _title_tail(self, toks: list[Token], n: int) -> bool:
        """A word that can still belong to a title before its comma: not a verb, complementiser,
        quotation, stop word, occasion or reported-speech noun."""
        c = toks[n].core
        return not (
            toks[n].quote_before
            or self._complementiser_at(toks, n)
            or self._verb(c) is not None
            or (c in self.lex.np_stops and c not in TITLE_PREPOSITIONS and c != "عن")  # "النائبة عن فريق المعارضة،"
            or c in _AR_OCCASIONS
            or c in _AR_REPORTED_SPEECH
            or c in _AR_POSSESSED_OCCASIONS
        )

    def _has_given_name(self, toks: list[Token], x: int, y: int) -> bool:
        """A given name among toks[x:y], "عبد" + a divine name ("عبد الحميد") counting as one."""
        for n in range(x, y):
            if self._given_name(toks[n]) or (toks[n].core == "عبد" and n + 1 < y and toks[n + 1].core.startswith("ال")):
                return True
        return False

    def _apposed_subject(self, toks: list[Token], i: int, p: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Before the verb at ``i`` (``p`` the last word before it): "NAME، TITLE، VERB" or
        "TITLE، NAME، VERB" opening the clause; returns the name's and the title's token ranges."""
        lex = self.lex
        if lex.lang != "ar" or p < 1 or not toks[p].comma_after:
            return None
        q = p
        while q > 0 and p - q < 8 and not toks[q - 1].comma_after:
            if toks[q - 1].ends_sentence:
                return None
            q -= 1
        if q == 0 or not toks[q - 1].comma_after:
            return None
        a = q - 1
        while a > 0 and q - a < 9 and not toks[a - 1].comma_after and not toks[a - 1].ends_sentence:
            a -= 1
        if q - a >= 9:
            return None
        while a < q - 1 and (toks[a].core in lex.clause_openers or toks[a].core in {"لكن", "ولكن", "غير", "بينما"} or (a > 0 and toks[a].core == "ان" and toks[a - 1].core == "غير")):
            a += 1
        return self._apposition_pair(toks, (a, q), (q, p + 1))

    def _apposition_pair(self, toks: list[Token], first: tuple[int, int], second: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Two comma-separated phrases, one a name and the other a title: the name's and the
        title's token ranges, or None."""
        lex = self.lex

        def name_like(rng: tuple[int, int]) -> bool:
            x, y = rng
            while x < y and toks[x].core in _AR_HONORIFICS:
                x += 1
            if x >= y or y - x > 5 or toks[x].core.startswith("ال") or toks[x].core in lex.np_stops:
                return False
            if any(self._verb(t.core) is not None or self._complementiser_at(toks, n) for n, t in enumerate(toks[x:y], start=x)):
                return False
            return self._has_given_name(toks, x, y) or (2 <= y - x <= 3 and not any(t.core.startswith("ال") for t in toks[x:y]))

        def title_like(rng: tuple[int, int]) -> bool:
            x, y = rng
            return self._head_word(toks[x].core) in lex.role_heads and toks[x].core not in _AR_HONORIFICS and self._arabic_np(toks[x:y])

        if name_like(first) and title_like(second):
            return first, second
        if title_like(first) and name_like(second):
            return second, first
        return None

    def _cut_subject(self, toks: list[Token], j: int, k: int, form: str) -> int:
        """Where a subject after the verb really ends: before an occasion with a possessive
        ("واختتم X حديثه بالقول"), before a demand's ب-object ("طالبت منظمة X بفتح ممرات") and,
        after a cue that takes a nominal object, before a derived verbal noun ("نفى المتحدث
        باسم قوات X استهداف المدنيين": استفعال، افتعال، انفعال)."""
        if self.lex.lang != "ar":
            return k
        for n in range(j + 1, k):
            c = toks[n].core
            if toks[n - 1].core == "في" and n - 1 > j and c in _AR_POSSESSED_OCCASIONS_REPORTS:
                return n - 1  # "وذكر صندوق النقد الدولي في تقريره الأخير أن": the occasion, not the source
            if c in _AR_POSSESSED_OCCASIONS and toks[n - 1].core not in self._report_statement:
                return n  # (not "دراسة حديثة", a recent study)
            if form in _AR_DEMAND_CUES and c.startswith("ب") and len(c) > 3 and c not in {"بن", "بنت"} and not c.startswith("بال") and not self._given_name(toks[n]):
                return n
            if form in _AR_NOMINAL_CUES and n - j >= 2 and _AR_MASDAR.match(c) and not self._given_name(toks[n]) and not self._known_name_token(c):
                return n
            if form in _AR_ACCUSATIONS and self._object_after_name(toks, j, n, k):
                return n  # "اتهم المتحدث خالد يونس الميليشيا بـ": the name ends before the object
        return k

    def _bayyana(self, toks: list[Token], i: int) -> bool:
        """بيّن "explained" (folded like بين "between"): first in its clause, a subject that is
        not a conjoined pair, and a complementiser within eight words."""
        first = i == 0 or toks[i - 1].comma_after or toks[i - 1].ends_sentence
        pair = i + 2 < len(toks) and toks[i + 2].core.startswith("و")
        return first and not pair and any(self._complementiser_at(toks, n) for n in range(i + 1, min(len(toks), i + 9)))

    def _plural_object(self, toks: list[Token], j: int, n: int) -> bool:
        """A definite masculine plural in the accusative ("المواطنين", "المستثمرين") right after
        a definite one-word subject of a call ("ودعت الوزارة المواطنين إلى"): the object. An
        adjective of that subject would agree with it, and a plural subject is nominative (ـون)."""
        c, prev = toks[n].core, toks[n - 1].core
        return n == j + 1 and prev.startswith("ال") and not prev.endswith(("ين", "يين")) and c.startswith("ال") and c.endswith("ين") and not c.endswith(("يين", "ثنين")) and len(c) > 5

    def _object_after_name(self, toks: list[Token], j: int, n: int, k: int) -> bool:
        """After an accusation's personal name ("خالد يونس"), a definite noun that the ب of
        the charge follows ("الميليشيا بـ"): the accused, not a family name (family names
        that are nisbas, السوداني, or follow عبد/أبو/بن never are)."""
        c = toks[n].core
        if n - j < 2 or toks[n - 1].comma_after or not any(x.core.startswith("ب") and not x.core.startswith("بال") for x in toks[n + 1 : min(len(toks), k + 4)]):
            return False
        prev = toks[n - 1].core
        if prev.startswith("ال") and not self._given_name(toks[n]) and not self._known_name_token(c) and c not in self.lex.np_stops and not c.startswith(("ال", "لل", "بال")) and _entity_word(c):
            return True  # "اتهم حزب X اللبناني إسرائيل بـ": a named country or party after the subject
        if prev.startswith("ال") and c.startswith("ال") and not c.endswith(("ي", "يه", "يين", "يون")) and not self._known_name_token(c):
            return True  # "اتهمت وزارة الصحة النقابة بـ": a second definite noun, not an adjective
        if not c.startswith("ال") or c.endswith(("ي", "يه", "يين", "يون")):
            return False
        for g in (n - 2, n - 3):
            if g < j or not self._given_name(toks[g]) or (g > j and toks[g].core == "باسم"):
                continue  # ("المتحدث باسم جهاز ...": باسم is "for", not the name Basim)
            plain = all(not x.core.startswith("ال") and x.core not in {"عبد", "ابو", "بن", "بنت", "ابن", "ام"} and x.core not in self.lex.np_stops and not x.comma_after for x in toks[g:n])
            return plain and not self._known_name_token(c)
        return False

    def _home_town(self, toks: list[Token], n: int) -> bool:
        """After "من": a place (the gazetteer's, or a place noun), or one word followed by the
        medium told, a complementiser or a colon ("تاجر فواكه من درعا لـ"X":")."""
        c = toks[n].core
        if _entity_word(c) or c in _AR_PLACE_WORDS:
            return True
        if c.startswith("ال") or c in self.lex.np_stops or self._verb(c) is not None or toks[n].quote_before:
            return False
        return toks[n].raw.endswith(":") or (n + 1 < len(toks) and (self._recipient(toks[n + 1].core) or bool(self._complementiser_at(toks, n + 1))))

    def _passive_vowelled(self, t: Token) -> bool:
        """A verb written with the passive's damma on its first letter ("يُتوقع", "ويُعتقد",
        "ذُكر"): the text itself says nobody is the subject."""
        word = self.surface(t.cs, t.ce)
        word = word[1:] if word[:1] in "وف" and len(word) > 3 and word[1:2] != "\u064f" else word
        return len(word) > 2 and word[1] == "\u064f"

    def _issuer(self, toks: list[Token], j: int, k: int) -> tuple[int, int] | None:
        """The issuer named after a report noun and a relative verb ("دراسة (جديدة) أصدرها
        مركز X", "تقرير أعدّته المنظمة"): its token range."""
        if self.lex.lang != "ar" or k >= len(toks):
            return None
        relative = toks[j].core in self.lex.report_nouns and toks[k].core in _AR_ISSUED_BY
        # "كشف تقرير صادر عن منظمة X", "أورد بيان صادر عن مكتب X": X (after عن) issued it
        issued = toks[j].core in self._report_statement and k - 1 > j and toks[k - 1].core in _AR_ISSUED and toks[k].core == "عن"
        if not (relative or issued):
            return None
        b = self._np_forward(toks, k + 1)
        return (k + 1, b) if b > k + 1 and self._arabic_np(toks[k + 1 : b]) else None

    def _topic(self, toks: list[Token], i: int) -> list[Token] | None:
        """The topic of "أما X، فـ(قد) VERB" before a verb with no subject of its own: the
        words between أما and the comma, when they make a noun phrase."""
        p = i - 1
        if self.lex.lang != "ar" or p < 1:
            return None
        if toks[i].core.startswith("ف") and toks[p].comma_after:
            q = p  # "أما الديوان ...، فأكد في بيان"
        elif p >= 2 and toks[p].core in {"فقد", "فانه", "فانها", "فهي", "فهو"}:
            q = p - 1
        else:
            return None
        if not toks[q].comma_after and toks[p].core not in {"فقد", "فانه", "فانها"}:
            return None  # ("أما الاتحاد فقد عبّر": the ف itself closes the topic)
        a = q
        commas = []
        while a >= 0 and q - a < 14 and toks[a].core not in {"اما", "واما"}:
            if a < q and toks[a].ends_sentence:
                return None
            if a < q and toks[a].comma_after:
                commas.append(a)
            a -= 1
        if a < 0 or toks[a].core not in {"اما", "واما"} or a == q or len(commas) > 1:
            return None
        # "أما النائب X، عضو لجنة ...، فقد ألمح": the topic is the name before its apposition
        topic = toks[a + 1 : (commas[0] if commas else q) + 1]
        if commas:
            # "أما قائد الفريق، حمد الكبيسي، فقد شدد": a title before its apposed name, the name
            pair = self._apposition_pair(toks, (a + 1, commas[0] + 1), (commas[0] + 1, q + 1))
            if pair is not None and pair[0][0] == commas[0] + 1:
                return toks[pair[0][0] : pair[0][1]]
        return topic if self._arabic_np(topic) else None

    def _possessed_object(self, core: str) -> bool:
        """A lone indefinite noun with a possessive suffix ("أنصاره", "مؤيديها"), not a title
        or a name the document knows."""
        return (
            not core.startswith("ال")
            and core.endswith(("ه", "ها", "هم", "هما"))
            and self._head_word(core) not in self.lex.role_heads
            and not self._known_name_token(core)
            and core not in self.lex.given_names
        )

    def _known_name_token(self, core: str) -> bool:
        for m in self.reg.mentions:
            for name in m.names:
                if core in fold(name).split():
                    return True
        return False

    def _arabic_verb(self, toks, i, verb, s, e, frames):
        lex = self.lex
        form, suffixed = verb
        relation, cue_mod = lex.cue_verbs[form]
        t = toks[i]
        # is there a complementiser, quote or colon ahead? (a cue opens content)
        # the clause ends at a comma before another cue ("نفى X وجود أي تحشيد، وقال إن ...",
        # "نفى الجيش مشاركته، مؤكداً أن"): a complementiser beyond it opens the next cue's content
        clause_end = self._clause_end(toks, i + 1)
        ahead = toks[i + 1 : min(i + 14, clause_end)]
        if t.raw.endswith(":") and i + 1 < len(toks):
            frame = Frame("verb-prodrop", t.s, (t.cs, t.ce), relation=relation, cue_modality=cue_mod, mention=self.reg.last_speaker)
            frame.content = (toks[i + 1].s, e)
            return (frame, i + 1) if frame.mention is not None else (None, i + 1)
        if not suffixed:
            post = self._postposed(toks, i, i - 1, relation, cue_mod, form)
            if post is not None:
                return post
        opens = any(self._complementiser_at(toks, k) for k in range(i + 1, min(clause_end, i + 32))) or any(
            x.quote_before or x.raw.endswith(":") for x in ahead
        ) or any(x.core == "عن" for x in ahead[:6])
        # "وحذر X، قائلاً: «...»": the participle after the comma carries this speaker's words
        saying_next = not opens and not suffixed and clause_end < len(toks) and toks[clause_end].core in _AR_SAYING
        opens = opens or saying_next
        nominal = False
        if not opens and not suffixed:
            if form not in _AR_NOMINAL_CUES:
                return None, i + 1
            nominal = True
        p = i - 1
        while p >= 0 and toks[p].core in {"قد", "لقد"}:
            p -= 1
        vso = p < 0 or (bool(frames) and frames[-1].cue is not None and toks[p].s < frames[-1].cue[1] + 1) or toks[p].comma_after or toks[p].core in lex.clause_openers or toks[p].core in {"ان", "كذلك", "ايضا", "مجددا"} or toks[p].raw.endswith(("“", '"', "«"))
        if not vso:
            # "بعد ذلك قال المتحدث": what precedes the verb is an adverbial, not its subject
            q = p
            while q > 0 and not toks[q - 1].comma_after and not toks[q - 1].ends_sentence and p - q < 8:
                q -= 1
            while q < p and (toks[q].core in lex.clause_openers or toks[q].core in {"وكانت", "وكان", "كانت", "كان", "الي", "ان", "بان"}):
                q += 1
            head = toks[q].core
            head = head[1:] if head[:1] in "وف" and len(head) > 3 and (head[1:] in lex.np_stops or head[1:] in _AR_NOT_SPEAKER) else head
            if head in _AR_NOT_SPEAKER or head in _AR_ADVERBIALS or (head in lex.np_stops and head not in {"ان", "الي"}):
                vso = True
        if not vso and form in _AR_IMPERFECT_DENIALS:
            return None, i + 1  # "الجيش ينفي المشاركة": a headline's summary, not a cue with its subject
        frame = Frame("verb", t.s, (t.cs, t.ce), relation=relation, cue_modality=cue_mod, distancing=form in lex.distancing)
        j = i + 1
        if suffixed and i >= 2 and toks[i - 1].core == "ما" and toks[i - 2].core in {"وهو", "وهي", "هو", "هي"}:
            # "، وهو ما نفته المديرية": a reply to the statement before, which ends at the comma
            k = self._np_forward(toks, j)
            mention = self._mention(toks[j:k])[0] if k > j and self._arabic_np(toks[j:k]) else None
            if mention is None:
                return None, i + 1
            frame.mention, frame.clause_start, frame.content = mention, toks[i - 2].s, None
            return frame, k
        if suffixed:
            frame.mention = self.reg.last_speaker
            frame.content = (toks[j].s, e) if j < len(toks) else None
            return frame, j
        apposed = self._apposed_subject(toks, i, p) if vso else None
        aside = self._anonymity_aside(toks, p) if vso and apposed is None and j < len(toks) and self._recipient(toks[j].core) else None
        if aside is not None:
            # "مسؤول في الوزارة، رفض الكشف عن اسمه، نفى لـ«X» وجود": the subject before its aside
            self._subject_speakers(frame, aside)
            frame.clause_start = aside[0].s
        elif apposed is not None:
            # "عبد الحميد سايح، وزير الفلاحة، قال", "لكن الخبير، الدكتور عمر بوزيد، يرى": a
            # name and a title apposed before the verb are its one subject
            (a, b), (ta, tb) = apposed
            span = self._own_span(toks[a:b])
            mention = self.reg.get(self.text[span[0] : span[1]], span)
            title = clean(self.surface(toks[ta].cs, toks[tb - 1].ce))
            if mention.kind == SourceKind.PERSON and title not in mention.roles:
                mention.roles.append(title)
            frame.mention, frame.speaker = mention, span
            frame.clause_start = toks[min(a, ta)].s
        elif vso:
            while j < len(toks) - 1 and toks[j].core in _AR_PRONOUN_OBJECTS:
                j += 1  # "ردّت عليه الهيئة": the pronoun object comes before the subject
            k = self._np_forward(toks, j)
            if k > j and form in _AR_OBJECT_CUES and ((k == j + 1 and self._possessed_object(toks[j].core)) or toks[j].core in _AR_QUANTIFIED_OBJECTS):
                k = j  # "ودعا أنصاره إلى", "ودعت جميع الأطراف إلى": the object of a pro-drop call
            elif k > j + 1 and form in _AR_OBJECT_CUES:
                k = next((n for n in range(j + 1, k) if toks[n].core in _AR_QUANTIFIED_OBJECTS or self._plural_object(toks, j, n)), k)  # "دعت النقابة | جميع العمال"
            k = self._cut_subject(toks, j, k, form)
            app = self._comma_apposition(toks, j, k) if k > j else None
            issuer = self._issuer(toks, j, k) if k > j else None
            if issuer is not None:
                # "خلصت دراسة جديدة أصدرها مركز X إلى أن": the study's issuer speaks
                a, b = issuer
                mention, span, _, _ = self._mention(toks[a:b])
                if mention is None:
                    return None, i + 1
                mention.report = True
                frame.mention, frame.speaker = mention, span
                k = b
            elif app is not None:
                # "نفى مدير دائرة الإعلام في الوزارة، هوشيار صالح عمر، وجود ...": the title, a
                # comma, then the name: one speaker, named by the name (the title its role)
                frame.mention, frame.speaker, k = self._apposed_mention(toks, j, app)
            elif k > j:
                subject = toks[j:k]
                if subject[0].core in lex.participants:
                    frame.mention = None
                    frame.kind = "participant"
                elif not self._arabic_np(subject):
                    return None, i + 1
                else:
                    self._subject_speakers(frame, subject)
            elif form == "نقل" and toks[i].core in {"نقل", "ونقل"} and j < len(toks) and toks[j].core == "عن":
                # "ونُقل عن سكان أن ...": the passive (no subject before عن) names no relayer
                k2 = self._np_forward(toks, j + 1)
                app = self._comma_apposition(toks, j + 1, k2) if k2 > j + 1 else None
                if app is not None:  # "ونُقل عن مدير المستشفى، الدكتور X، قوله": the apposed name
                    origin, ospan, k2 = self._apposed_mention(toks, j + 1, app)
                    frame.mention, frame.speaker = origin, ospan
                    frame.relation = Relation.SAID
                    k = k2
                    while k < len(toks) and toks[k].core in _AR_REPORTED_SPEECH:
                        k += 1
                elif k2 > j + 1:
                    origin, ospan, _, _ = self._mention(toks[j + 1 : k2])
                    if origin is not None:
                        frame.mention, frame.speaker = origin, ospan
                        frame.relation = Relation.SAID
                        k = k2
                        while k < len(toks) and toks[k].core in _AR_REPORTED_SPEECH:
                            k += 1
                if frame.mention is None:
                    return None, i + 1
            else:
                topic = self._topic(toks, i)
                if topic is not None:
                    # "أما جمعية المصارف، فقد حذّرت في بيان من أن": the topic is the subject
                    mention, span, _, _ = self._mention(topic)
                    frame.mention, frame.speaker = mention, span
                else:
                    if self._passive_vowelled(t):
                        return None, i + 1  # "ويُتوقع أن ...": an impersonal passive has no speaker
                    frame.mention = self.reg.last_speaker
                    frame.kind = "verb-prodrop"
            j = k
            if j + 1 < len(toks) and toks[j].core == "نقلا" and toks[j + 1].core == "عن":
                j += 1  # "ذكرت صحيفة X نقلا عن مصادر": the outlet relays the sources
            if (form in {"نقل", "نقلت"} or toks[j - 1].core == "نقلا") and j < len(toks) and toks[j].core == "عن" and frame.mention is not None:
                # "نقلت وكالة رويترز عن مسؤول أمني (قوله) إن": the agency relays the official
                k2 = self._np_forward(toks, j + 1)
                app = self._comma_apposition(toks, j + 1, k2) if k2 > j + 1 else None
                origin = None
                if app is not None:  # "عن منسقة الطوارئ في المفوضية، كلير دوبوا، قولها"
                    origin, ospan, k2 = self._apposed_mention(toks, j + 1, app)
                elif k2 > j + 1:
                    k3 = k2
                    while k3 > j + 2 and toks[k3 - 1].core in _AR_EMPHATIC:
                        k3 -= 1  # "عن اللاعب نفسه قوله": the emphatic pronoun is not the name
                    origin, ospan, _, _ = self._mention(toks[j + 1 : k3])
                    while k2 < len(toks) and toks[k2].core in _AR_EMPHATIC:
                        k2 += 1
                aside = toks[j - 1].core == "نقلا" and j >= 2 and toks[j - 2].comma_after
                if origin is not None and origin is not frame.mention and aside and frame.mention.kind in (SourceKind.PERSON, SourceKind.ANONYMOUS) and origin.kind in (SourceKind.OUTLET, SourceKind.AGENCY):
                    # "رأى الخبير X، نقلا عن موقع Y، أن": the person speaks, the site relays him
                    frame.relays.append((origin, Relation.REPORTED, ospan))
                    j = k2
                elif origin is not None and origin is not frame.mention:
                    frame.relays.append((frame.mention, Relation.REPORTED, frame.speaker))
                    frame.mention, frame.speaker = origin, ospan
                    frame.relation = Relation.SAID
                    j = k2
                    second = self._second_relay(toks, j)
                    if second is not None and origin.kind in (SourceKind.OUTLET, SourceKind.AGENCY):
                        # "عن وكالة X، نقلاً عن Y، أن", "عن صحيفة X، التي نقلت بدورها عن Y، أن":
                        # the medium quoted relays in its turn
                        mention2, span2, j = second
                        frame.relays.insert(0, (origin, Relation.REPORTED, ospan))
                        frame.mention, frame.speaker = mention2, span2
                    while j < len(toks) and toks[j].core in _AR_REPORTED_SPEECH:
                        j += 1
        else:
            # SV: the subject runs from the clause start to the verb
            start = p
            while start > 0 and not toks[start - 1].comma_after and not toks[start - 1].ends_sentence and p - start < 8:
                start -= 1
            subject = toks[start : p + 1]
            while subject and (subject[0].core in lex.clause_openers or subject[0].core in {"وكانت", "وكان", "كانت", "كان", "الي", "ان", "بان", "اما", "واما"}):
                subject = subject[1:]
            if len(subject) > 2 and subject[0].core in _AR_CONTRASTIVE and subject[1].core == "ان":
                subject = subject[2:]  # "غير أن مصادر محلية أفادت": the connective is not the speaker
            while len(subject) > 1 and subject[-1].core in _AR_EMPHATIC:
                subject = subject[:-1]  # "مؤسسة كهرباء لبنان نفسها أوردت": the emphatic pronoun is not the name
            if len(subject) == 1 and subject[0].core in _AR_FIRST_PERSON:
                # "لكنني أعتقد أن": the writer's own cue, pro-drop (an op-ed's author speaks)
                frame.mention = self.reg.last_speaker
                frame.kind = "verb-prodrop"
                subject = []
            elif not subject or len(subject) > 8 or not self._arabic_np(subject):
                return None, i + 1
            elif subject[0].core in lex.participants:
                frame.kind = "participant"
            else:
                self._subject_speakers(frame, subject)
            if subject:
                frame.clause_start = subject[0].s
        # between the subject and the content: a medium told ("لوسائل الإعلام الروسية"), a
        # report ("في تقرير له"), a date; then the complementiser
        k = j
        in_relative = False
        o = j + 2 if j + 2 < clause_end and toks[j].core == "في" and toks[j + 1].core in _AR_OCCASIONS else j  # "، في بيان، وجود"
        if form in _AR_NOMINAL_CUES and o < clause_end and (toks[o].core in lex.nominal_objects or _noun_base(toks[o].core) in lex.nominal_objects or _AR_MASDAR.match(toks[o].core)):
            k, j = clause_end, o  # "نفى X، Y، وجود أي تأخير في ... "سومو"": the object opens the content, not the quote in it
        while k < clause_end and (k - j < 10 or (in_relative and k - j < 30)):
            if k == j and toks[k - 1].comma_after:
                in_relative = True  # "بيان مشترك ...، صدر عقب ...، إلى أن": a relative clause first
            if toks[k].core in {"دون", "بدون"} and k + 1 < len(toks) and toks[k + 1].core == "ان":
                k += 2  # "دون أن يحدد الجهة التي ...": not the content's complementiser
                continue
            n = self._complementiser_at(toks, k)
            if n:
                frame.content = (toks[k + n].s, e) if k + n < len(toks) else None
                return frame, k + n
            if toks[k].core == "عن" and form in {"عبر", "عبرت"}:
                frame.content = (toks[k + 1].s, e) if k + 1 < len(toks) else None
                return frame, k + 1
            if _AR_TOLD_QUOTED.match(toks[k].core):
                # "لـ«الغد برس»": the quoted medium told
                m = k
                while m < len(toks) - 1 and m - k < 5 and not toks[m].quote_after:
                    m += 1
                a, b = self.orig(toks[k].s, toks[m].e)
                q = min((a + self.text[a:b].find(c) for c in "«\"“" if c in self.text[a:b]), default=a)
                inner = self._trim_span((q, b))
                mention = self.reg.get(self.text[inner[0] : inner[1]], inner, kind=SourceKind.OUTLET, speaker=False)
                frame.relays.append((mention, Relation.REPORTED, inner))
                k = m + 1
                continue
            if toks[k].core in _AR_TRANSLATED_BY and (toks[k - 1].core in {"التي", "الذي"} or toks[k - 1].core in _AR_OCCASIONS or toks[k - 1].core in lex.statement_nouns) and k + 1 < len(toks):
                # "في الإحاطة التي ترجمها مكتب الأمم المتحدة للإعلام", "في بيان ترجمه X": the translator is a hop
                m = self._np_forward(toks, k + 1, limit=6)
                if m > k + 1:
                    translator, tspan, _, _ = self._mention(toks[k + 1 : m], speaker=False)
                    if translator is not None and translator is not frame.mention:
                        frame.relays.append((translator, Relation.TRANSLATED, tspan))
                    k = m
                    continue
            if toks[k].core in _AR_BROADCAST and k + 1 < len(toks) and toks[k + 1].core not in {"عبر", "على", "علي", "في", "من"}:
                # ("في بيان نشرته عبر حسابها": where it was posted, not a medium)
                # "في بيان بثته قناة المسيرة": the channel that carried the statement relays it
                m = self._np_forward(toks, k + 1, limit=5)
                if m > k + 1:
                    medium, mspan, _, _ = self._mention(toks[k + 1 : m], kind=SourceKind.OUTLET, speaker=False)
                    if medium is not None and medium is not frame.mention:
                        frame.relays.append((medium, Relation.REPORTED, mspan))
                    k = m
                    continue
            if lex.lang == "ar" and toks[k].core in {"للصحافيين", "للصحفيين", "للاعلاميين"}:
                k += 1  # "قال للصحافيين": journalists at large are no medium that relays it
                continue
            if self._recipient(toks[k].core):
                m = k + 1
                if m < len(toks) and toks[m].quote_before and not toks[k].comma_after:
                    # 'لصحيفة "وول ستريت جورنال"': the quoted name of the medium told
                    while m < len(toks) - 1 and m - k < 7 and not toks[m].quote_after:
                        m += 1
                    m += 1
                elif toks[k].core[1:] in self.lex.generic_name_words and not toks[k].comma_after:
                    # "لوكالة فرانس برس": the unquoted name after the medium's generic head
                    while m < len(toks) and m - k < 4 and not toks[m - 1].comma_after and not toks[m - 1].raw.endswith(":") and not toks[m].core.startswith("ال") and toks[m].core not in lex.np_stops and not toks[m].quote_before and not self._complementiser_at(toks, m) and self._verb(toks[m].core) is None:
                        m += 1
                while m < len(toks) and m - k < 4 and toks[m].core.startswith("ال") and not toks[m].comma_after and not toks[m - 1].quote_after:
                    m += 1
                if m < len(toks) and toks[m].core.startswith("ال") and m - k < 4:
                    m += 1
                medium_toks = toks[k:m]
                mention, span, _, _ = self._mention(medium_toks, kind=SourceKind.OUTLET, speaker=False)
                if mention is not None:
                    frame.relays.append((mention, Relation.REPORTED, span))
                k = m
                continue
            if toks[k].core in lex.report_nouns and frame.mention is not None:
                frame.mention.report = True
                frame.report_intro = True
            if lex.lang == "ar" and toks[k].core in _AR_A_STATEMENT and k > j and toks[k - 1].core == "في" and frame.mention is not None:
                self.reg.statement_issuer = frame.mention  # "أعلن البنك، في بيان صحفي، أن": what "البيان" later refers to
            if toks[k].quote_before or toks[k - 1].raw.endswith(":"):
                frame.content = (toks[k].s, e)
                return frame, k
            k += 1
        if frame.mention is None and frame.kind != "participant":
            return None, i + 1
        if saying_next:
            frame.content = None  # the participle's frame takes the content, and this speaker
            return frame, clause_end
        if nominal:
            while j < len(toks) and (toks[j].core in lex.np_stops or toks[j].core in _AR_ADVERBIALS):
                if toks[j].core == "في" and j + 1 < len(toks) and toks[j + 1].core in _AR_OCCASIONS:
                    j += 1  # "نفت الحركة في بيان مسؤوليتها": the occasion, not the object
                j += 1
            if frame.mention is None or frame.speaker is None or j - i > 12:
                return None, i + 1
        while j + 1 < clause_end and toks[j].core == "في" and toks[j + 1].core in _AR_OCCASIONS and not toks[j + 1].comma_after:
            j += 2  # "نفت الحركة في بيان مسؤوليتها": the occasion, not the content
        if j < clause_end < len(toks):
            # the content ends with its clause: "نفت الحركة مسؤوليتها عن التفجير، واعتبرت"
            frame.content = (toks[j].s, toks[clause_end - 1].ce)
            return frame, clause_end
        frame.content = (toks[j].s, e) if j < len(toks) else None
        return frame, j

    def _clause_end(self, toks: list[Token], i: int) -> int:
        """Index of the first token after ``i`` that opens another cue's clause after a comma
        (a cue verb, with or without و, or a participle cue: "، وقال", "، مؤكداً"), or the end."""
        for k in range(i + 1, len(toks)):
            if not toks[k - 1].comma_after:
                continue
            core = toks[k].core
            if core in self.lex.participles or self._verb(core) is not None or (core[:1] in "وف" and len(core) > 3 and (self._verb(core[1:]) is not None or core[1:] in self.lex.participles)):
                return k
        return len(toks)

    # ---------------------------------------------------------------- English
    def _english(self, toks: list[Token], s: int, e: int) -> list[Frame]:
        lex = self.lex
        frames: list[Frame] = []
        i = 0
        used_until = -1
        openers = self._acc_at.keys() | self._rep_at.keys()  # where an "according to"/"reportedly" frame can start
        two_first = self._two_word_first
        while i < len(toks):
            t = toks[i]
            acc = self._according(toks, i, s, e) if t.cs in openers else None
            if acc:
                frames.append(acc[0])
                used_until = acc[1]
                i = max(acc[1], i + 1)
                continue
            if t.core in lex.participles and i > 0 and toks[i - 1].comma_after:
                j = i + 1 + self._complementiser_at(toks, i + 1)
                frame = Frame("participle", toks[i - 1].ce, (t.cs, t.ce))
                frame.content = (toks[j].s, e) if j < len(toks) else None
                if not any(f.mention is not None for f in frames):
                    # "Clinton acknowledged Sanders' success, saying ...": the sentence's subject speaks
                    k = 0
                    while k < min(i, 6) and (self.surface(toks[k].cs, toks[k].ce)[:1].isupper() or toks[k].core in {"the", "a", "an"}) and not toks[k].comma_after:
                        k += 1
                    if 0 < k < i and self.surface(toks[k - 1].cs, toks[k - 1].ce)[:1].isupper():
                        frame.mention, frame.speaker, _, _ = self._mention(toks[:k])
                frames.append(frame)
                i = j
                continue
            if i <= 4 and t.raw.endswith(":") and not frames and i + 1 < len(toks):
                # "Roger Stone: Don't trust the voting machines" / "Stated Stone: “...”"
                head = toks[: i + 1]
                if all(self.surface(x.cs, x.ce)[:1].isupper() for x in head) and head[0].core not in _EN_NOT_SPEAKERS:
                    if head[0].core in lex.cue_verbs and len(head) > 1:
                        head = head[1:]
                    mention, span, _, _ = self._mention(head)
                    if mention is not None and mention.kind in (SourceKind.PERSON, SourceKind.ANONYMOUS, SourceKind.ORGANISATION, SourceKind.GOVERNMENT):
                        frame = Frame("post", t.s, (t.ce, t.ce + 1), speaker=span, mention=mention)
                        frame.content = (toks[i + 1].s, e)
                        frames.append(frame)
                        i += 1
                        continue
            core = t.core
            if (i > 0 and core in _EN_DISCOURSE_SECOND and f"{toks[i - 1].core} {core}" in _EN_DISCOURSE and (i == 1 or toks[i - 2].comma_after)) or (
                i > 1 and toks[i - 1].core in _EN_DISCOURSE_SECOND and f"{toks[i - 2].core} {toks[i - 1].core}" in _EN_DISCOURSE and (i == 2 or toks[i - 3].comma_after)
            ):
                i += 1  # "That said, ...", "Needless to say, ...": a discourse marker, not a cue
                continue
            two = f"{core} {toks[i + 1].core}" if i + 1 < len(toks) and core in two_first else None
            form = two if two in lex.cue_verbs else core if core in lex.cue_verbs else None
            if form and i > 0 and self.surface(t.cs, t.ce)[:1].isupper():
                form = None  # "the United States", "Post Reports": a name, not a verb
            if form and i + 1 < len(toks) and toks[i + 1].core == "by" and " " not in form and i > 0 and not toks[i - 1].comma_after:
                form = None  # "a source quoted by the daily X": a passive participle, the relay of a later cue
            if form and i > used_until and not (i > 0 and toks[i - 1].core in _EN_PASSIVE and form != "said"):
                frame, nxt = self._english_verb(toks, i, form, s, e)
                if frame:
                    frames.append(frame)
                    used_until = nxt - 1
                    i = nxt
                    continue
            if core in lex.expressive and i > 0:
                start = i - 1
                while start > 0 and not toks[start - 1].comma_after and i - start < 4:
                    start -= 1
                subj = toks[start:i]
                if subj and all(self.surface(x.cs, x.ce)[:1].isupper() for x in subj):
                    mention, span, _, _ = self._mention(subj)
                    if mention is not None and mention.kind == SourceKind.PERSON:
                        frame = Frame("expressive", subj[0].s, None, speaker=span, mention=mention)
                        frame.content = (subj[0].s, e)
                        frames.append(frame)
            i += 1
        if any(f.mention is not None for f in frames):
            self._en_subject = None
        else:
            self._en_subject = self._en_opening_person(toks) or self._en_subject
        return frames

    def _en_opening_person(self, toks: list[Token]) -> list[Token] | None:
        """The titled person a sentence opens with ("Health Minister Lina Farah", "The army's
        spokesman, Brig Gen Nabil Abdallah,", "Mark Ellis, the ship's master,"): two or more
        capitalised words followed by a lower-case word or a comma, with a title (a role head or a
        title abbreviation) in the name, in a title phrase before it or in an apposition after it."""
        lex = self.lex

        def titled(part: list[Token]) -> bool:
            return any(x.core.rstrip(".") in lex.role_heads or x.core.rstrip(".") in _EN_TITLES for x in part)

        def upper(x: Token) -> bool:
            return self.surface(x.cs, x.ce)[:1].isupper() or x.core in _NAME_LINKS_EN

        start, title = 0, False
        comma = next((n for n, x in enumerate(toks[:6]) if x.comma_after), None)
        if comma is not None and comma + 1 < len(toks) and titled(toks[: comma + 1]) and not all(upper(x) for x in toks[: comma + 1]):
            start, title = comma + 1, True  # "The army's spokesman, Brig Gen Nabil Abdallah,"
        end = start
        while end < len(toks) and end - start < 6 and upper(toks[end]) and toks[end].core not in {"the", "a", "an"}:
            end += 1
            if toks[end - 1].comma_after or toks[end - 1].ends_sentence:
                break
        name = toks[start:end]
        if len(name) < 2 or end >= len(toks) or name[-1].ends_sentence:
            return None
        if not name[-1].comma_after and upper(toks[end]):
            return None
        if not title and not titled(name):
            after = toks[end : end + 5] if name[-1].comma_after else []
            if not (after and after[0].core in {"the", "a", "an"} and titled(after)):
                return None  # "Mark Ellis, the ship's master," has its title after the name
        return name

    def _english_verb(self, toks, i, form, s, e):
        lex = self.lex
        relation, cue_mod = lex.cue_verbs[form]
        width = len(form.split())
        t = toks[i]
        cue_end = toks[i + width - 1].ce
        after = toks[i + width :]
        # subject before the verb
        p = i - 1
        negated = False
        while p >= 0 and (toks[p].core in _EN_AUX or (toks[p].core.endswith("ly") and len(toks[p].core) > 4) or toks[p].core in _EN_NEGATION or toks[p].core in {"did", "does", "do", "would", "will", "could", "to"}):
            negated |= toks[p].core in _EN_NEGATION or toks[p].core == "to"
            p -= 1
        if negated and cue_mod != Modality.DENIED:
            return None, i + 1  # "did not say which ...", "declined to say": no statement
        if p >= 0 and toks[p].core in {"who", "which", "that"}:
            return None, i + 1
        aside_relay = None
        reach = i  # the subject starts at most 12 tokens before this (before the aside when there is one)
        if p >= 0 and toks[p].comma_after:
            q = self._comma_aside(toks, p)
            if q is not None:
                head = " ".join(x.core for x in toks[q : q + 4])
                lead = next((a for a in _EN_RELAY_ASIDES if head == a or head.startswith(a + " ")), None)
                if lead is not None and q + len(lead.split()) <= p:
                    # "A diplomat, speaking to AFP, said": the medium relays, the subject is before the aside
                    rmention, rspan, _, _ = self._mention(toks[q + len(lead.split()) : p + 1], speaker=False)
                    if rmention is not None and rmention.kind in (SourceKind.OUTLET, SourceKind.AGENCY):
                        aside_relay = (rmention, rspan)
                    p = reach = q - 1
                elif toks[q].core in _EN_RELATIVES:
                    p = reach = q - 1  # "The official, who spoke on condition of anonymity, said": the relative clause is not the speaker
        start = p
        while start >= 0 and reach - start <= 12:
            tk = toks[start]
            if tk.core in _EN_CLAUSE_BREAK and start != p:
                start += 1
                break
            abbreviation = tk.raw.endswith(".") and tk.core.lower().rstrip(".") in _EN_TITLES
            if start < p and (tk.comma_after or tk.quote_after or (tk.ends_sentence and not abbreviation)):
                start += 1
                break
            if tk.raw.endswith(("”", '"', "''")) and start == p:
                start = p + 1
                break
            start -= 1
        start = max(start, 0)
        subject = toks[start : p + 1] if p >= 0 else []
        while subject and subject[0].core in {"yet", "but", "and", "so", "still", "however", "meanwhile", "now"}:
            subject = subject[1:]
        if subject and (subject[0].quote_before and not subject[-1].quote_after) and len(subject) > 4:
            subject = []
        if len(subject) > 10:
            return None, i + 1
        cut = next((n for n in range(1, len(subject) - 2) if subject[n].core in _EN_RELAYED_BY and subject[n + 1].core == "by"), None)
        if cut is not None and aside_relay is None:
            rmention, rspan, _, _ = self._mention(subject[cut + 2 :], speaker=False)
            if rmention is not None and rmention.kind in (SourceKind.OUTLET, SourceKind.AGENCY):
                aside_relay = (rmention, rspan)
                subject = subject[:cut]
        frame = Frame("verb", t.s, (t.cs, cue_end), relation=relation, cue_modality=cue_mod, distancing=form in lex.distancing)
        if aside_relay is not None:
            frame.relays.append((aside_relay[0], Relation.REPORTED, aside_relay[1]))
        rest = after
        ends_soon = len(rest) <= 7 and (not rest or rest[-1].ends_sentence or rest[-1] is toks[-1])
        before_comma = start > 0 and (toks[start - 1].comma_after or toks[start - 1].quote_after)
        if not subject:
            # "..., said the official." / "“...,” said Smith"
            k = self._np_forward(toks, i + width, limit=8)
            if k == i + width:
                return None, i + 1
            mention, span, _, _ = self._mention(toks[i + width : k])
            if span is not None and k < len(toks) and toks[k - 1].comma_after and toks[k].core in {"a", "an", "the", "who", "president", "director", "spokesman", "spokeswoman", "chairman", "head"}:
                m = k
                while m < len(toks) and not toks[m].comma_after and not toks[m].ends_sentence and not toks[m].quote_after:
                    m += 1
                if m < len(toks):
                    span = (span[0], self._trim_span(self.orig(toks[k].s, toks[m].e))[1])
                    k = m + 1
            frame.kind = "post"
            frame.mention, frame.speaker = mention, span
            frame.clause_start = t.s
            frame.content = (s, (toks[i - 1].ce if i > 0 else t.s))
            return frame, k
        opens_with_cue = subject[0].core in lex.cue_verbs and not self.surface(subject[0].cs, subject[0].ce)[:1].isupper()
        if any(x.core in _EN_NOT_IN_SPEAKER for x in subject) or opens_with_cue:  # "said the tanker continued": a clause
            return None, i + 1  # a clause fragment, not a noun phrase
        if subject and start >= 2 and toks[start - 1].core == "and" and self.surface(subject[0].cs, subject[0].ce)[:1].isupper():
            # "Ukraine and Poland said": the clause break was the coordination of two parties
            first = start - 2
            while first > 0 and start - first < 6 and not toks[first - 1].comma_after and not toks[first - 1].ends_sentence and self.surface(toks[first - 1].cs, toks[first - 1].ce)[:1].isupper():
                first -= 1
            left = toks[first : start - 1]
            if left and all(self.surface(x.cs, x.ce)[:1].isupper() for x in left) and (first == 0 or toks[first - 1].comma_after or toks[first - 1].core in _EN_CLAUSE_BREAK):
                subject = toks[first:start] + subject
                start = first
                before_comma = start > 0 and (toks[start - 1].comma_after or toks[start - 1].quote_after)
        name = self._apposed_name(toks, start, subject) if before_comma else None
        title = self._apposed_title(toks, start, subject) if before_comma and name is None else None
        if title is not None:
            # "The mayor, Tom Reyes, said": the title before the name is the same source
            start = title[0].i
            before_comma = start > 0 and (toks[start - 1].comma_after or toks[start - 1].quote_after)
            mention, span, _, _ = self._mention(subject)
            if mention is not None:
                role = clean(self.surface(title[0].s, title[-1].e))
                if role and role not in mention.roles:
                    mention.roles.append(role)
                span = (self._trim_span(self.orig(title[0].s, title[-1].e))[0], span[1])
            subject = title + subject
            name = None
        if name is not None:
            # "Brig Gen Patrick Ryder, the Department of Defense's press secretary, said": one source
            start = name[0].i
            before_comma = start > 0 and (toks[start - 1].comma_after or toks[start - 1].quote_after)
        if subject[0].core in lex.participants:
            frame.kind = "participant"
        if name is not None:
            mention, span, _, _ = self._mention(name)
            if mention is not None:
                role = clean(self.surface(subject[0].s, subject[-1].e))
                if role and role not in mention.roles:
                    mention.roles.append(role)
                span = (span[0], self._trim_span(self.orig(subject[0].s, subject[-1].e))[1])
            subject = name + subject
        elif title is None:
            if len(subject) == 1 and subject[0].core in {"he", "she"} and self._en_subject is not None:
                # '"...," she said' after "Health Minister Lina Farah visited ...": the person the
                # sentences since the last speaker named is the pronoun's antecedent
                self._mention(self._en_subject, speaker=False)
                self._en_subject = None
            parts = self._joint_parts(subject)
            mention, span, _, _ = self._mention(parts[0])
            for part in parts[1:]:
                other, ospan, _, _ = self._mention(part)
                if other is not None and other is not mention:
                    frame.co_speakers.append((other, ospan))
        frame.mention, frame.speaker = mention, span
        frame.clause_start = subject[0].s
        j = i + width
        if form in {"told", "tells"}:
            j = self._told(toks, j, frame)
        rest = toks[j:]
        ends_soon = len(rest) <= 7 and (not rest or rest[-1].ends_sentence or rest[-1] is toks[-1])
        quote_follows = bool(rest) and rest[0].quote_before and toks[j - 1].comma_after
        # '"...," the official said, asking not to be named': a participial aside, not content
        aside_follows = bool(rest) and toks[j - 1].comma_after and rest[0].core.endswith("ing") and rest[0].core not in lex.participles
        if before_comma and toks[start - 1].quote_after and aside_follows:
            frame.kind = "post"
            frame.content = (s, toks[start - 1].ce)
            return frame, len(toks)
        if before_comma and ends_soon and not (rest and rest[0].core == "that") and not quote_follows:
            frame.kind = "post"
            frame.content = (s, toks[start - 1].ce)
            return frame, len(toks)
        # skip a prepositional tail ("in a statement", "on Sunday") before the content
        if j < len(toks) and toks[j].core in {"in", "on"}:
            j = self._carried_tail(toks, j, frame)
        if j < len(toks) and toks[j].core in {"in", "on"} and any(x.core == "that" for x in toks[j : j + 6]):
            while j < len(toks) and toks[j].core != "that":
                j += 1
        if j < len(toks) and toks[j].core == "that":
            j += 1
        if j >= len(toks):
            if before_comma:
                frame.kind = "post"
                frame.content = (s, toks[start - 1].ce)
                return frame, len(toks)
            return None, i + 1
        frame.content = (toks[j].s, e)
        return frame, j

    def _name_like(self, t: Token) -> bool:
        """A word of a title phrase that is not the title's own (a personal name word)."""
        c = t.core
        if self._given_name(t):
            return True
        return not (c.startswith(("ال", "لل", "ل", "و", "ب")) or self._head_word(c) in self.lex.role_heads or c in self.lex.np_stops)

    def _subject_speakers(self, frame: Frame, subject: list[Token]) -> None:
        """The subject's first party speaks; the others of a joint subject ("X وY") are its
        co-speakers."""
        parts = self._joint_parts(subject)
        mention, span, _, _ = self._mention(parts[0])
        frame.mention, frame.speaker = mention, span
        for part in parts[1:]:
            if self.lex.lang == "ar" and subject[0].core in _AR_PLURAL_TITLES and part[0].core.startswith("و") and self._name_like_w(part[0]):
                ospan = self._own_span(part)
                ospan = (ospan[0] + 1, ospan[1]) if self.text[ospan[0]] == "و" else ospan  # "ومبارك الحريص": the name without و
                other = self.reg.get(self.text[ospan[0] : ospan[1]], ospan)
            elif self.lex.lang == "ar" and part[0].core.startswith("و") and len(part[0].core) > 3 and (part[0].core[1:] in self._head_vocab or self._kind_head(part[0].core)):
                # "ووزير العمل", "ومنظمة «X»": the second party without the conjunction
                ospan = self._own_span(part)
                ospan = (ospan[0] + 1, ospan[1]) if self.text[ospan[0]] == "و" else ospan
                other = self.reg.get(clean(self.text[ospan[0] : ospan[1]]), ospan)
            else:
                other, ospan, _, _ = self._mention(part)
            if other is not None and other is not mention:
                frame.co_speakers.append((other, ospan))

    def _second_relay(self, toks: list[Token], j: int) -> tuple[Mention, Span, int] | None:
        """After a relayed medium closed by a comma: "، نقلاً عن Y،" or "، التي نقلت (بدورها)
        عن Y،": Y's mention, span and the index after it."""
        if self.lex.lang != "ar" or j < 1 or j + 2 >= len(toks) or not toks[j - 1].comma_after:
            return None
        n = j
        if toks[n].core in {"نقلا", "ونقلا"}:
            n += 1
        elif toks[n].core in {"التي", "الذي"} and toks[n + 1].core in {"نقلت", "نقل"}:
            n += 2
            if n < len(toks) and toks[n].core in {"بدورها", "بدوره"}:
                n += 1
        else:
            return None
        if n >= len(toks) or toks[n].core != "عن":
            return None
        b = self._np_forward(toks, n + 1)
        if b <= n + 1 or not toks[b - 1].comma_after:
            return None
        mention, span, _, _ = self._mention(toks[n + 1 : b])
        return (mention, span, b) if mention is not None else None

    def _kind_head(self, core: str) -> bool:
        """An organisation's, government body's or outlet's head noun ("وزارة", "فريق", "مرصد")."""
        core = _strip_w(core) if core not in self._head_vocab else core
        return any(core in self.lex.kind_heads.get(k, ()) for k in ("organisation", "government", "agency", "outlet"))

    def _name_like_w(self, t: Token) -> bool:
        """A name after the conjunction و ("ومبارك", "وعبدالله"): not a title, a cue or an article word."""
        bare = t.core[1:]
        return not bare.startswith("ال") and bare not in self.lex.role_heads and self._verb(bare) is None and bare not in self.lex.np_stops

    def _joint_parts(self, subject: list[Token]) -> list[list[Token]]:
        """Two named parties ("Ukraine and Poland said", "وأكد الوزير X ونظيره Y"): one part
        each; a name with "and" inside ("Ministry of Trade and Industry") stays whole."""
        lex = self.lex
        if self.lex.lang == "en":
            cuts = [n for n, x in enumerate(subject) if x.core == "and" and 0 < n < len(subject) - 1]
            if len(cuts) != 1 or any(x.core in {"of", "for", "&"} for x in subject[: cuts[0]]):
                return [subject]
            left, right = subject[: cuts[0]], subject[cuts[0] + 1 :]
            def named(part):
                return any(self.surface(x.cs, x.ce)[:1].isupper() and x.core not in {"the", "a", "an"} for x in part)
            if named(left) and named(right) and self.surface(right[0].cs, right[0].ce)[:1].isupper() or (named(left) and right[0].core in {"the"} and named(right[1:])):
                return [left, right]
            return [subject]
        if subject[0].core in _AR_PLURAL_TITLES and len(subject) >= 4:
            # "النواب فهد العتيبي ومبارك الحريص وعبدالله المضف": each named member speaks
            body = subject[1:]
            cuts = [n for n, x in enumerate(body) if n > 1 and x.core.startswith("و") and len(x.core) > 3 and body[n - 1].core not in {"عبد", "بن", "ابو"}]
            cuts = [n for a, n in zip([0, *cuts], cuts, strict=False) if n - a >= 2]  # every member named by two words or more
            if cuts and len(body) - cuts[-1] >= 2 and self._has_given_name(body, 0, cuts[0]):
                bounds = [0, *cuts, len(body)]
                return [body[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        for n, x in enumerate(subject):
            if n == 0 or not x.core.startswith("و") or len(x.core) < 4:
                continue
            bare = x.core[1:]
            if bare in lex.role_heads and not any(self._name_like(t) for t in subject[:n]) and any(self._name_like(t) for t in subject[n + 1 :]):
                continue  # "وزيرة المالية ووزيرة الدولة ... نورة الفصام": one person with two titles
            if bare in lex.role_heads or bare in {"نظيره", "نظيرته", "نظيرها"} or _entity_word(bare) or self._known_name_token(bare):
                return [subject[:n], subject[n:]]
            if n >= 2 and self._kind_head(subject[0].core) and self._kind_head(bare):
                return [subject[:n], subject[n:]]  # "فريق X وفريق Y", "مرصد «X» ومنظمة «Y»": two bodies
        return [subject]

    def _apposed_title(self, toks: list[Token], start: int, subject: list[Token]) -> list[Token] | None:
        """A title phrase before a name subject ("The mayor, Tom Reyes, said")."""
        if not subject or start < 2 or not toks[start - 1].comma_after:
            return None
        if not all(self.surface(x.cs, x.ce)[:1].isupper() or x.core in _NAME_LINKS_EN for x in subject):
            return None
        first = start - 1
        while first > 0 and start - first < 5 and not toks[first - 1].comma_after and not toks[first - 1].ends_sentence:
            first -= 1
        title = toks[first:start]
        if not title or title[0].core not in {"the", "a", "an"} or not any(x.core.rstrip(",") in self.lex.role_heads for x in title):
            return None
        if first > 0 and not toks[first - 1].comma_after:
            return None
        for n, x in enumerate(title):
            x.i = first + n
        return title

    def _comma_aside(self, toks: list[Token], p: int) -> int | None:
        """The first token of a comma-delimited aside that ends at ``p`` (its comma after ``p``)
        and follows a comma itself, up to sixteen tokens long ("who spoke on condition of anonymity
        because they were not authorised to speak to the media"); None when there is none."""
        q = p
        while q > 0 and p - q < 16 and not toks[q - 1].comma_after and not toks[q - 1].ends_sentence:
            q -= 1
        return q if q > 0 and q < p + 1 and toks[q - 1].comma_after else None

    def _carried_tail(self, toks: list[Token], j: int, frame: Frame) -> int:
        """A prepositional tail with the medium that carried the statement ("in a statement
        carried by the state news agency that ..."): the medium is a relay; returns the index of
        the complementiser, or ``j`` when the tail has no carrier."""
        k = j
        while k < len(toks) and k - j < 14 and toks[k].core != "that" and not toks[k].ends_sentence:
            k += 1
        if k >= len(toks) or toks[k].core != "that":
            return j
        for n in range(j + 1, k - 1):
            if toks[n].core in _EN_CARRIERS and toks[n + 1].core == "by" and n + 2 < k:
                rmention, rspan, _, _ = self._mention(toks[n + 2 : k], speaker=False)
                if rmention is not None and rmention.kind in (SourceKind.OUTLET, SourceKind.AGENCY):
                    frame.relays.append((rmention, Relation.REPORTED, rspan))
                    return k
        return j

    def _told(self, toks: list[Token], j: int, frame: Frame) -> int:
        """After "told": a medium told ("told Reuters", "told The Washington Post") is a relay;
        returns the index after the recipient."""
        k = j
        while k < len(toks) and k - j < 6 and toks[k].core not in {"that", "on", "in", "at", "during", "after", "before", "last", "this"} and not toks[k].comma_after and not toks[k].ends_sentence:
            k += 1
        end = k + (1 if k < len(toks) and (toks[k].comma_after or toks[k].ends_sentence) and toks[k].core not in {"that"} else 0)
        if end > j:
            rmention, rspan, _, _ = self._mention(toks[j:end], speaker=False)
            if rmention is not None and rmention.kind in (SourceKind.OUTLET, SourceKind.AGENCY):
                frame.relays.append((rmention, Relation.REPORTED, rspan))
        return end

    def _apposed_name(self, toks: list[Token], start: int, subject: list[Token]) -> list[Token] | None:
        """The name before an apposition that is the subject ("Patrick Ryder, the press
        secretary, said"): capitalised words from the clause start to the comma."""
        if not subject or start < 1 or not toks[start - 1].comma_after:
            return None
        lex = self.lex
        if not (subject[0].core in {"the", "a", "an"} or any(x.core in lex.role_heads for x in subject)):
            return None
        k = start - 1
        first = k
        while first > 0 and start - first < 7 and not toks[first - 1].comma_after and not (toks[first - 1].ends_sentence and toks[first - 1].core.lower().rstrip(".") not in _EN_TITLES) and not toks[first - 1].quote_after:
            first -= 1
        name = toks[first:start]
        while name and name[0].core in {"but", "and", "meanwhile", "however", "yet"}:
            name = name[1:]
        if not name or len(name) > 6:
            return None
        for x in name:
            word = self.surface(x.cs, x.ce)
            if not (word[:1].isupper() or x.core in _NAME_LINKS_EN):
                return None
        for n, x in enumerate(name):
            x.i = first + n + (len(toks[first:start]) - len(name))
        return name

    # ---------------------------------------------------------------- content bounds
    def _bound_contents(self, frames: list[Frame], toks: list[Token], s: int, e: int) -> None:
        """Forward content runs to the next frame's clause (or a trailing 'according to')."""
        for idx, frame in enumerate(frames):
            if frame.content is None or frame.kind == "post":
                continue
            cs, ce = frame.content
            for other in frames[idx + 1 :]:
                if other.clause_start > cs:
                    ce = min(ce, self._clause_cut(other))
                    break
            frame.content = (cs, ce)

    def _clause_cut(self, frame: Frame) -> int:
        """Where the preceding content ends: before the comma that opens this frame's clause."""
        pos = frame.clause_start
        F = self.F
        j = pos
        while j > 0 and F[j - 1] in " ,،\"”»“«":
            j -= 1
        # drop a dangling connective ("وخصوصا بعدما", "and")
        m = _DANGLING_CONNECTIVE.search(F[max(0, j - 30) : j])
        if m and m.group().strip():
            j = max(0, j - 30) + m.start()
        while j > 0 and F[j - 1] in " ,،":
            j -= 1
        return j


@lru_cache(maxsize=50_000)
def _noun_base(core: str) -> str:
    """A folded Arabic noun without its possessive suffix (مسؤوليتها -> مسؤوليه, مشاركته ->
    مشاركه), for the lexicon's noun lists."""
    for suffix in ("هما", "هم", "ها", "ه"):
        if core.endswith(suffix) and len(core) - len(suffix) >= 3:
            base = core[: -len(suffix)]
            return base[:-1] + "ه" if base.endswith("ت") else base
    return core


def en_clause_fragment(phrase: str) -> bool:
    """An English speaker phrase that is a clause fragment, not a noun phrase ("did", "did not
    say which specific groups the US"): it opens with a word ``_english_verb`` refuses in a
    subject (anywhere in the phrase costs more true speakers than it saves on PolNeAR dev)."""
    words = _EN_WORDS.findall(phrase.lower())
    return bool(words) and words[0] in _EN_NOT_IN_SPEAKER_MODEL


#: the subset of ``_EN_NOT_IN_SPEAKER`` that never occurs in a speaker phrase of any convention
#: (PolNeAR keeps "we", "I", "you", "this" and "those" as speakers; they are not fragments)
_EN_NOT_IN_SPEAKER_MODEL = frozenset(["did", "does", "do", "didn't", "doesn't", "don't", "would", "will", "could", "should", "can", "must", "might", "may", "not", "never", "whether", "if", "because", "than", "is", "are", "was", "were", "been", "be"])


_WORD_AFTER_REVERSED = re.compile(r"\W*(\w+)")


def _last_word(head: str) -> tuple[int, int] | None:
    r"""The span of the last word of ``head`` (``(\w+)\W*$``'s group, matched on the reversed
    text: one match at its start instead of a search from every position)."""
    m = _WORD_AFTER_REVERSED.match(head[::-1])
    if m is None:
        return None
    n = len(head)
    return n - m.end(1), n - m.start(1)


def en_discourse_marker(text: str, cue: Span) -> bool:
    """A cue word that opens an English discourse marker ("That said, ...", "Needless to say"):
    the same test ``_english`` applies, on character offsets (for the learned model's cues)."""
    word = _FIRST_WORD.match(text[cue[0] : cue[1]])
    head = text[max(0, cue[0] - 40) : cue[0]]
    prev = _last_word(head)
    if word is None or prev is None or not head[prev[1] :].isspace():
        return False
    prev_word = head[prev[0] : prev[1]].lower()
    cue_word = word.group().lower()
    if cue_word not in _EN_DISCOURSE_SECOND and prev_word not in _EN_DISCOURSE_SECOND:
        return False  # (neither pair below can be a marker)
    if f"{prev_word} {cue_word}" in _EN_DISCOURSE:
        start = prev[0]
    else:  # "Needless to say": the two words before the cue
        head2 = head[: prev[0]]
        prev2 = _last_word(head2)
        if prev2 is None or not head2[prev2[1] :].isspace() or f"{head2[prev2[0] : prev2[1]].lower()} {prev_word}" not in _EN_DISCOURSE:
            return False
        start = prev2[0]
    before = head[:start].rstrip(" \"“'‘")
    return not before or before[-1] in ",.;:!?\n—–"
