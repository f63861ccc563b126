"""Rule-based extraction of claims, speakers, relay chains and modality from raw Arabic and
English news text. Offline: lexicons (``lexicons/*.yaml``) and rules, plus optional
cross-lingual sentence embeddings for grouping when the ``embeddings`` extra is installed.

One module per concern:

- ``segmentation``: HTML stripping, paragraphs, sentences and quotes, with exact offsets;
- ``furniture``: page furniture (keyword lines, "read also", related lists, source lines,
  bylines, outlet signatures) that is not content but may name the author or a relay;
- ``lexicon``: the per-language lexicons, loaded from data files;
- ``attribution``: cues, speakers, nested relays and report inheritance;
- ``modality``: hedges, hints, denials, opinion and questions;
- ``resolution``: matching names to stored sources across scripts and spellings;
- ``grouping``: the same proposition across documents and languages;
- ``pipeline``: ``extract(text, ...)``, which runs them in order.
"""

from claims.extraction.model import ExtractedClaim, Extraction, Hop, Mention
from claims.extraction.pipeline import extract

__all__ = ["ExtractedClaim", "Extraction", "Hop", "Mention", "extract"]
