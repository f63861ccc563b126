"""The query side: answering provenance questions (``ask``) and the retrieval behind them.

Modelled on ``claims/reports/``: closed sets in ``vocabulary`` (``Intent``), dispatch through
``registry`` (one entry per intent), one module per language in ``languages/``. ``ask`` is the
pipeline parse → retrieve → support → answer (``pipeline``); a yes/no question's verdict is
``verdict``; sources are named by the one display-name rule, ``claims.names.display_name``. Retrieval reads the index through
two seams, ``fulltext.search`` and ``vectors.nearest``; the index is written by
``claims.indexing`` (below the services, which never import this package).
"""

from claims.query.parse import ParsedQuestion, parse_question
from claims.query.pipeline import ask
from claims.query.retrieve import resolve_speaker
from claims.query.vocabulary import Intent

__all__ = ["Intent", "ParsedQuestion", "ask", "parse_question", "resolve_speaker"]
