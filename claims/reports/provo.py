"""W3C PROV renderers, built with the ``prov`` package.

Sources are agents; documents, claims and each hop's telling of the statement are entities.
Hop *i* derives from hop *i-1*: ``wasQuotedFrom`` for a quote (a derivation typed
``prov:Quotation``; ``claims:quoter``/``claims:quotee`` name the two sources), a derivation typed ``claims:Translation`` with ``claims:fromLang``/``claims:toLang``
for a translation, and a derivation typed by the relation otherwise. The published claim
derives from the last hop and ``hadPrimarySource`` the first; its document ``hadMember`` it;
the other tellings in its group are ``alternateOf`` it. The report itself is an entity that
carries the generation time, database revision and seal.
"""

from __future__ import annotations

from prov.model import PROV, Namespace, ProvDocument

from claims.reports.model import Report
from claims.vocabulary import Relation, SourceKind

NS = Namespace("claims", "urn:claims:")

_AGENT_TYPES = {
    SourceKind.PERSON: PROV["Person"],
    SourceKind.ORGANISATION: PROV["Organization"],
    SourceKind.OUTLET: PROV["Organization"],
    SourceKind.AGENCY: PROV["Organization"],
    SourceKind.GOVERNMENT: PROV["Organization"],
}


def _attrs(**values) -> dict:
    """PROV attributes without the empty ones (absent, not null, in every serialisation)."""
    return {NS[k] if ":" not in k else k: v for k, v in values.items() if v is not None and v != ""}


def _qname(identifier: str):
    return NS[identifier.removeprefix("claims:")]


def prov_document(report: Report) -> ProvDocument:
    doc = ProvDocument()
    doc.add_namespace(NS)
    seen: set[str] = set()

    def once(identifier: str) -> bool:
        if identifier in seen:
            return False
        seen.add(identifier)
        return True

    def agent(source) -> str:
        ident = f"claims:source-{source.id}"
        if once(ident):
            attrs = {"prov:label": source.name, NS["kind"]: str(source.kind)}
            if source.kind in _AGENT_TYPES:
                attrs["prov:type"] = _AGENT_TYPES[source.kind]
            doc.agent(ident, attrs)
        return ident

    meta = report.meta
    doc.entity(
        f"claims:report-{meta.kind}-{meta.subject_id}",
        {
            "prov:type": NS["Report"],
            "prov:label": meta.title,
            **_attrs(
                kind=str(meta.kind),
                subject=str(meta.subject_id),
                generatedAt=meta.generated_at.isoformat(),
                databaseRevision=meta.database_revision,
                seal=meta.digest,
            ),
        },
    )
    pairs: set[tuple[str, str]] = set()
    in_report = {section.claim.id for section in report.claims}
    for section in report.claims:
        claim, document = section.claim, section.document
        doc_id = f"claims:document-{document.id}"
        if once(doc_id):
            doc.entity(
                doc_id,
                {
                    "prov:type": PROV["Collection"],
                    **_attrs(
                        **{"prov:label": document.title},
                        lang=document.lang,
                        url=document.url,
                        publishedAt=document.published_at.isoformat() if document.published_at else None,
                        contentHash=document.content_hash,
                    ),
                },
            )
            if document.outlet is not None:
                doc.wasAttributedTo(doc_id, agent(document.outlet))
        claim_id = f"claims:claim-{claim.id}"
        if once(claim_id):
            doc.entity(
                claim_id,
                {
                    "prov:value": claim.text,
                    **_attrs(
                        key=claim.key,
                        lang=claim.lang,
                        modality=str(claim.modality),
                        stance=str(claim.stance),
                        reviewStatus=claim.review_status,
                        reviewNote=claim.review_note,
                        startOffset=claim.start,
                        endOffset=claim.end,
                        origin=NS[f"source-{section.origin.id}"],
                    ),
                },
            )
        doc.hadMember(doc_id, claim_id)
        previous = None
        for hop in section.chain:
            hop_id = f"claims:hop-{hop.hop_id}"
            source = agent(hop.source)
            doc.entity(
                hop_id,
                {
                    "prov:label": f"{hop.source.name} ({hop.relation})",
                    **_attrs(
                        position=hop.position,
                        relation=str(hop.relation),
                        lang=hop.lang,
                        modality=hop.modality and str(hop.modality),
                        cue=hop.cue,
                        evidence=hop.evidence.text if hop.evidence else None,
                        evidenceStart=hop.evidence.start if hop.evidence else None,
                        evidenceEnd=hop.evidence.end if hop.evidence else None,
                        reviewStatus=hop.review_status,
                        reviewNote=hop.review_note,
                    ),
                },
            )
            doc.wasAttributedTo(hop_id, source)
            if previous is not None:
                prev_hop, prev_id, prev_source = previous
                if hop.relation == Relation.QUOTED:
                    doc.wasQuotedFrom(
                        hop_id, prev_id, other_attributes={NS["quoter"]: _qname(source), NS["quotee"]: _qname(prev_source)}
                    )
                elif hop.relation == Relation.TRANSLATED:
                    doc.wasDerivedFrom(
                        hop_id,
                        prev_id,
                        other_attributes={
                            "prov:type": NS["Translation"],
                            **_attrs(fromLang=prev_hop.lang, toLang=hop.lang),
                        },
                    )
                else:
                    doc.wasDerivedFrom(
                        hop_id, prev_id, other_attributes={"prov:type": NS[str(hop.relation).capitalize()]}
                    )
            previous = (hop, hop_id, source)
        if section.chain:
            first = f"claims:hop-{section.chain[0].hop_id}"
            doc.wasDerivedFrom(claim_id, previous[1], other_attributes={"prov:type": NS["Publication"]})
            doc.hadPrimarySource(claim_id, first)
        for member in section.group:
            other = f"claims:claim-{member.claim_id}"
            if member.claim_id not in in_report and once(other):
                doc.entity(other, {"prov:value": member.text, **_attrs(lang=member.lang)})
            pair = tuple(sorted((claim_id, other)))
            if pair not in pairs:
                pairs.add(pair)
                doc.alternateOf(*pair)
    return doc


def _serialize(report: Report, fmt: str, **options) -> bytes:
    return prov_document(report).serialize(format=fmt, **options).encode("utf-8")


def render_prov_json(report: Report) -> bytes:
    return _serialize(report, "json", indent=2, ensure_ascii=False)


def render_prov_n(report: Report) -> bytes:
    return _serialize(report, "provn")


def render_prov_xml(report: Report) -> bytes:
    return _serialize(report, "xml")


def render_prov_jsonld(report: Report) -> bytes:
    return _serialize(report, "jsonld")


def render_prov_o(report: Report) -> bytes:
    return _serialize(report, "rdf", rdf_format="turtle")
