"""Phrasing: the one implementation of every answer sentence, filled from the question
language's templates (``claims/query/languages/<code>.yaml`` ``phrasing``).

The intent registry (``claims.query.registry``) names which function phrases an intent's
answer: ``chain_answer`` (origin, relays, publisher and how firmly), ``first_reported_answer``,
``change_answer``, ``verdict_answer`` (yes/no) and ``statements_answer`` ("what did X say").
Each takes the ``AnswerContext`` and the ``QueryLanguage``; a language adds templates, never code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claims.syndication import describe

if TYPE_CHECKING:  # pragma: no cover
    from claims.query.answer import AnswerContext
    from claims.query.languages import QueryLanguage


def _and(lang: QueryLanguage, names: list[str]) -> str:
    sep, last = lang.phrasing["and"]
    return names[0] if len(names) == 1 else sep.join(names[:-1]) + last + names[-1]


def _fill(lang: QueryLanguage, template: str, n: int, **values: str) -> str:
    """A template with its verb endings for ``n`` sources ("state{s} it": "states" for one)."""
    for marker, (one, many) in lang.phrasing["plural"].items():
        template = template.replace("{" + marker + "}", one if n == 1 else many)
    return template.format(**values)


def chain(ctx: AnswerContext, lang: QueryLanguage) -> str:
    """Origin, relays and publisher of the shown telling, as one sentence."""
    t = lang.phrasing["chain"]
    found, name = ctx.found, ctx.name
    parts = [t["origin"].format(origin=name(found.origin.id))]
    if ctx.relays:
        relays = t["relay_sep"].join(
            name(h.source.id) + (t["translated"] if h.relation == "translated" else "") for h in ctx.relays
        )
        parts.append(t["relays"].format(relays=relays))
    if ctx.publisher and ctx.publisher != found.origin.id:
        parts.append(t["publisher"].format(publisher=name(ctx.publisher)))
    return t["sep"].join(parts) + t["end"]


def chain_answer(ctx: AnswerContext, lang: QueryLanguage) -> str:
    """The chain, then how firmly it is stated: the weakest wording along the chain (a relay that
    hardens a hedge never makes it firm), and a question firmer or more tentative than that."""
    p = lang.phrasing
    wording = ctx.wording.value
    cue = p["cue"].format(cue=ctx.hedge_cue) if ctx.hedge_cue and p["cue"] else ""
    text = chain(ctx, lang) + p["wording"].get(wording, p["wording"]["other"]).format(wording=lang.modality(wording), cue=cue)
    if wording == "hedged" and ctx.parsed.modality == "asserted" and p["firm_question_on_hedge"]:
        text += p["firm_question_on_hedge"]
    elif ctx.weaker_question:
        text += p["weaker_question"].format(evidence=lang.modality(ctx.found.claim.modality))
    return text + p["close"]


def first_reported_answer(ctx: AnswerContext, lang: QueryLanguage) -> str:
    if ctx.syndicated:
        return describe(ctx.appearances, lang.code, ctx.name)
    t = lang.phrasing["first_reported"]
    doc = ctx.first.document
    when = t["dated"].format(date=doc.published_at.date().isoformat()) if doc.published_at else t["undated"]
    title = t["title"].format(title=doc.title) if doc.title else ""
    return t["text"].format(outlet=ctx.first_outlet, when=when, title=title)


def _hop_changes(ctx: AnswerContext, lang: QueryLanguage) -> list[str]:
    t = lang.phrasing["changes"]
    name = ctx.name
    out = [
        t["hop"].format(before=lang.modality(d.before), after=lang.modality(d.after), source=name(ctx.hop_source(d.to_position)))
        for d in ctx.hop_changes
    ]
    out += [
        t["translated"].format(before=d.before, after=d.after, source=name(ctx.hop_source(d.to_position)))
        for d in ctx.lang_changes
    ]
    return out


def change_answer(ctx: AnswerContext, lang: QueryLanguage) -> str:
    t = lang.phrasing["changes"]
    parts = _hop_changes(ctx, lang)
    if ctx.group_changes:
        wordings = t["list_sep"].join(sorted({lang.modality(d.after) for d in ctx.group_changes}))
        parts.append(t["group"].format(wordings=wordings))
    return (t["lead"] + t["sep"].join(parts) + ".") if parts else t["none"]


def _tentative(ctx: AnswerContext, lang: QueryLanguage) -> str:
    t = lang.phrasing["verdict"]["tentative"]
    by_wording: dict[str, list] = {}
    for telling in ctx.tentative:
        by_wording.setdefault(telling.wording.value, []).append(telling)
    return lang.phrasing["verdict"]["tentative_sep"].join(
        _fill(lang, t.get(w, t["hedged"]), len(names), who=_and(lang, names))
        for w, names in ((w, ctx.names_of(ts)) for w, ts in by_wording.items())
    )


def verdict_answer(ctx: AnswerContext, lang: QueryLanguage) -> str:
    """A yes/no question: the verdict, who states, only hedges or denies it, the chain, and how
    the wording changed between hops (never "firm" when the tellings only hedge)."""
    t = lang.phrasing["verdict"]
    firm, denying = ctx.names_of(ctx.firm), ctx.names_of(ctx.denying)
    parts = []
    if firm:
        parts.append(_fill(lang, t["firm"], len(firm), who=_and(lang, firm)))
    if ctx.tentative:
        parts.append(_tentative(ctx, lang))
    if denying:
        parts.append(_fill(lang, t["denying"], len(denying), who=_and(lang, denying)))
    lead = t["names"].get(ctx.verdict, str(ctx.verdict))
    lead += t["none_firm"] if ctx.verdict == "only_hedged" and not firm else ":"
    text = f"{lead} " + t["sep"].join(parts) + ". " + chain(ctx, lang)
    changes = _hop_changes(ctx, lang)
    if changes:
        c = lang.phrasing["changes"]
        text += " " + c["lead"] + c["sep"].join(changes) + "."
    return text


def statements_answer(ctx: AnswerContext, lang: QueryLanguage) -> str:
    """What a named speaker said (no topic): who, the words, how firmly, where and when."""
    t = lang.phrasing["statement"]
    st = ctx.statement
    text = t["said"].format(who=st.who, text=st.text, wording=lang.modality(st.wording))
    if st.outlet:
        text += t["published"].format(outlet=st.outlet)
    text += (t["dated"].format(date=st.date) if st.date else "") + "."
    return text + (" " + chain(ctx, lang) if st.elsewhere else "")
