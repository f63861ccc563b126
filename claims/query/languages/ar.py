"""Arabic: question patterns (on the folded question), hedge cues, display names and phrasing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claims.query.vocabulary import Intent
from claims.syndication import describe

if TYPE_CHECKING:  # pragma: no cover
    from claims.query.answer import AnswerContext

CODE = "ar"
#: Patterns run on the folded question (no diacritics, one alef, ى→ي, ة→ه).
FOLD_QUESTION = True

_VERBS = (
    r"(?:(?:قال|يقول|ادعي|ادع|يدعي|زعم|صرح|ذكر|اكد|افاد|اعلن|كشف|المح|اعتبر|اشار|اورد|حذر|رات|راي|يري|وصف|"
    r"تعهد|التزم|وعد|نفي|توقع|رجح|لفت)(?:ت)?)(?:\s+الي)?"
)
_RELAY = r"(?:نقل|نقلت|ترجم|ترجمت|اورد|اوردت|نشر|نشرت|روي|روت|تناقل|تداول)"
_FIRST = r"(?:اولا|لاول\s+مره|في\s+الاصل|بدايه|اصلا)"
_THAT = r"(?:ب?ان\s+)"
_WHO = r"(?:من|(?:اي|ما)\s+(?:\S+\s+){1,3}?(?:التي\s+|الذي\s+)?)"
_ITEM = r"(?:خبر|ادعاء|تصريح|تصريحات|تقرير|قول|روايه|صياغه|معلومه)"
PATTERNS: dict[Intent, re.Pattern[str]] = {
    Intent.FIRST_REPORTED: re.compile(
        rf"^متي\s+(?:نشر|نشرت|ظهر|ظهرت|ذكر|ذكرت|قيل|ورد|وردت|برز|بث)\s+(?:لاول\s+مره\s+)?(?:ال)?{_ITEM}?\s*{_THAT}?(?P<prop>.+?)(?:\s+لاول\s+مره|\s+اول\s+مره)?$"
        rf"|^(?:ما\s+)?(?:هو\s+)?(?:اول|اقدم)\s+(?:ظهور|نشر|ذكر)\s+(?:ل|لل)?{_ITEM}?\s*{_THAT}?(?P<prop2>.+)$"),
    Intent.CHANGE: re.compile(
        rf"^(?:هل|كيف)\s+(?:تغيرت|تغير|اختلفت|اختلف|تبدلت|تبدل|تحولت|تحول)\s+(?:صياغه|لهجه|حده|معني|نبره)?\s*(?:ال)?{_ITEM}?\s*{_THAT}?(?P<prop>.+?)"
        r"(?:\s+(?:عند|اثناء|خلال|مع|بعد|في)\s+(?:نقله|نقلها|النقل|ترجمته|ترجمتها|الترجمه|تناقله|تداوله).*)?$"),
    Intent.ORIGIN: re.compile(
        rf"^من\s+اول\s+من\s+{_VERBS}\s+{_THAT}?(?P<prop>.+)$"
        rf"|^{_WHO}\s*{_VERBS}\s+{_FIRST}\s+{_THAT}?(?P<prop2>.+)$"
        rf"|^(?:ما\s+)?(?:هو\s+|هي\s+)?(?:المصدر|مصدر)\s+(?:الاصلي\s+|الاول\s+)?(?:ل|لل)?(?:قول|ادعاء|خبر|تصريح|تقرير)?\s*{_THAT}?(?P<prop3>(?!الذي|التي).+)$"
        rf"|^(?:ما|من)\s+(?:هو\s+)?(?:المصدر|الجهه)\s+(?:الذي|التي)\s+(?:اعتمد|اعتمدت|استند|استندت|نقل|نقلت)\s+(?:عليه|عليها|اليه|اليها|عنه|عنها)\s+"
        rf"(?P<speaker>.+?)\s+(?:في|ل)\s*(?:ال)?{_ITEM}?\s*{_THAT}?(?P<prop4>.+)$"),
    Intent.RELAYER: re.compile(
        rf"^(?:(?:ما|اي)\s+(?:\S+\s+){{1,2}}?(?:التي|الذي)\s+|من\s+){_RELAY}\s+(?:قول\s+|تصريح\s+|تصريحات\s+|خبر\s+|تقرير\s+|تعهد\s+)?"
        rf"(?:(?P<speaker>.+?)\s+)?{_THAT}(?P<prop>.+)$"),
    Intent.SPEAKER: re.compile(
        rf"^(?:ماذا|ما\s+الذي|بماذا)\s+{_VERBS}\s+(?P<speaker>.+?)\s+(?:عن|بشان|حول|حيال|ازاء)\s+(?P<prop>.+)$"
        rf"|^هل\s+{_VERBS}\s+(?P<speaker2>.+?)\s+{_THAT}(?P<prop2>.+)$"
        # without a topic: everything the speaker said ("ماذا قال المصدر", "ما الذي قاله فلان")
        rf"|^(?:ماذا|ما\s+الذي|بماذا)\s+{_VERBS}\s+(?P<speaker3>.+)$"
        rf"|^ما\s+الذي\s+(?:قاله|قالته|صرح\s+به|صرحت\s+به|ذكره|ذكرته|اعلنه|اعلنته|اكده|اكدته)\s+(?P<speaker4>.+)$"
        rf"|^ما\s+(?:هي\s+)?(?:تصريحات|اقوال)\s+(?P<speaker5>.+)$"),
    Intent.WHO_SAID: re.compile(rf"^{_WHO}\s*{_VERBS}\s+(?:{_FIRST}\s+)?{_THAT}?(?P<prop>.+)$"),
    Intent.VERIFY: re.compile(r"^(?:هل\s+صحيح\s+ان\s+|هل\s+)(?P<prop>.+)$"),
}

#: The question's own verb can carry the modality it asks about ("من ألمح إلى …").
HINT_VERB = re.compile(r"^(?:من|(?:اي|ما)\s+(?:\S+\s+){1,3}?)\s*(?:المح|لمح)", re.I)
#: A yes/no question about a denial ("هل نفى الجيش …", on the folded question).
DENIAL = re.compile(r"(?:^|\s)[وف]?(?:نفي|نفت|ينفي|تنفي|نفوا|ينفون|انكر|انكرت|ينكر|تنكر|رفض|رفضت|يرفض|ترفض)(?:\s|$)")
#: A yes/no question: answered with a verdict (``claims.query.verdict``).
YES_NO = re.compile(r"^(?:هل|ا?صحيح\s+ان)(?:\s|$)")
#: Places a question names (``claims.query.parse.question_places``; as written, compared
#: folded): a gazetteer entity after a locative, or the name after a place noun ("حقل
#: الشرارة", "مدينة أوباري").
LOCATIVES = frozenset({"في", "إلى", "من", "عن", "قرب", "داخل", "نحو", "عند", "بالقرب"})
ARTICLES: frozenset[str] = frozenset()
#: Arabic script has no capitals: a name after a locative is known only from the gazetteer.
CASED = False
NOT_PLACES: frozenset[str] = frozenset()
PLACE_NOUNS = frozenset({
    "مدينة", "بلدة", "قرية", "حقل", "ميناء", "مطار", "مستشفى", "مخيم", "منطقة", "محافظة", "ولاية", "إقليم",
    "جزيرة", "مضيق", "معبر", "قاعدة", "مصفاة",
})
HEDGES = re.compile(r"(?:^|\s)(?:ربما|وربما|قد|يمكن|من\s+المحتمل|محتمل|يخطط|تخطط|يفكر)(?:\s|$)")

MODALITY = {
    "asserted": "مؤكدة",
    "hedged": "متحفظة (احتمال لا تأكيد)",
    "hinted": "تلميح",
    "denied": "نفي",
    "opinion": "رأي",
    "question": "تساؤل",
    "reported": "منقولة",
}


def _chain(ctx: AnswerContext) -> str:
    """Origin, relays and publisher of the shown telling."""
    found, name = ctx.found, ctx.name
    parts = [f"المصدر الأصلي: {name(found.origin.id)}"]
    if ctx.relays:
        parts.append("ونقلها " + "، ثم ".join(name(h.source.id) + (" (ترجمة)" if h.relation == "translated" else "") for h in ctx.relays))
    if ctx.publisher and ctx.publisher != found.origin.id:
        parts.append(f"ونشرها {name(ctx.publisher)}")
    return "، ".join(parts)


def chain_answer(ctx: AnswerContext) -> str:
    """Origin, relays and publisher, then how firmly it is stated (the weakest wording along the
    chain: a relay that hardens a hedge never makes the wording «مؤكدة»)."""
    wording = ctx.wording.value
    text = _chain(ctx) + f". الصيغة {MODALITY.get(wording, wording)}"
    if wording == "hedged" and ctx.parsed.modality == "asserted":
        text += "؛ لا يؤكدها أي مصدر بشكل قاطع"
    elif ctx.weaker_question:
        text += "؛ والسؤال أقل جزماً مما تقوله المصادر"
    return text + "."


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "، ".join(names[:-1]) + " و" + names[-1]


#: What a tentative telling does with the proposition ("{who}" is its source).
_TENTATIVE = {
    "hedged": "يورده {who} احتمالاً لا تأكيداً",
    "hinted": "يلمّح إليه {who} تلميحاً",
    "opinion": "يورده {who} رأياً",
    "question": "يطرحه {who} تساؤلاً",
}


def _tentative(ctx: AnswerContext) -> str:
    by_wording: dict[str, list] = {}
    for t in ctx.tentative:
        by_wording.setdefault(t.wording.value, []).append(t)
    return "، و".join(
        _TENTATIVE.get(w, _TENTATIVE["hedged"]).format(who=_and(ctx.names_of(ts))) for w, ts in by_wording.items()
    )


def _hop_changes(ctx: AnswerContext) -> list[str]:
    name = ctx.name
    out = [f"تحولت الصيغة من {MODALITY.get(d.before, d.before)} إلى {MODALITY.get(d.after, d.after)} عند {name(ctx.hop_source(d.to_position))}" for d in ctx.hop_changes]
    out += [f"تُرجمت من {d.before} إلى {d.after} عند {name(ctx.hop_source(d.to_position))}" for d in ctx.lang_changes]
    return out


_VERDICT = {"yes": "نعم", "no": "لا", "only_hedged": "بصيغة متحفظة فقط", "disputed": "الروايات متباينة"}


def verdict_answer(ctx: AnswerContext) -> str:
    """A yes/no question: the verdict, who states, only hedges or denies it, the chain, and how
    the wording changed between hops. Never «مؤكدة» when the tellings only hedge."""
    parts = []
    if ctx.firm:
        parts.append(f"يجزم بذلك {_and(ctx.names_of(ctx.firm))}")
    if ctx.tentative:
        parts.append(_tentative(ctx))
    if ctx.denying:
        parts.append(f"ينفي ذلك {_and(ctx.names_of(ctx.denying))}")
    lead = _VERDICT.get(ctx.verdict, str(ctx.verdict))
    if ctx.verdict == "only_hedged" and not ctx.firm:
        lead += ": لا يجزم بذلك أي مصدر؛"
    else:
        lead += ":"
    text = f"{lead} " + "، بينما ".join(parts) + ". " + _chain(ctx) + "."
    changes = _hop_changes(ctx)
    if changes:
        text += " " + "؛ ".join(changes) + "."
    return text


def statements_answer(ctx: AnswerContext) -> str:
    """What a named speaker said (no topic): who, the words, how firmly, where and when."""
    st = ctx.statement
    text = f"قال {st.who}: «{st.text}» (الصيغة {MODALITY.get(st.wording, st.wording)})" + (f"، ونشرها {st.outlet}" if st.outlet else "")
    text += (f" بتاريخ {st.date}." if st.date else ".")
    return text + (" " + _chain(ctx) + "." if st.elsewhere else "")


def first_reported_answer(ctx: AnswerContext) -> str:
    if ctx.syndicated:
        return describe(ctx.appearances, "ar", ctx.name)
    doc = ctx.first.document
    date = doc.published_at.date().isoformat() if doc.published_at else None
    when = f"بتاريخ {date}" if date else "(تاريخ النشر غير مسجل)"
    return f"أقدم ظهور مسجل لهذا الادعاء في {ctx.first_outlet} {when}" + (f": «{doc.title}»." if doc.title else ".")


def change_answer(ctx: AnswerContext) -> str:
    parts = _hop_changes(ctx)
    if ctx.group_changes:
        parts.append("وتختلف صيغتها بين المصادر: " + "، ".join(sorted({MODALITY.get(d.after, d.after or "") for d in ctx.group_changes})))
    return ("؛ ".join(parts) + ".") if parts else "لم تتغير صياغة الادعاء بين مراحل النقل المسجلة."
