"""The seal: a SHA-256 over a report file's canonical content, written into the file itself.

A renderer writes ``PLACEHOLDER`` (``sha256:`` and 64 zeros) wherever the seal belongs; the
canonical content is the rendered bytes with that placeholder. Sealing hashes them and puts
the digest in the placeholder's place. Verifying reverses it: take each ``sha256:<hex>`` found
in the file, put the placeholder back where it stood and hash again. Any change to any byte,
the seal itself included, makes the two differ.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from claims.reports.model import PLACEHOLDER

_PLACEHOLDER = PLACEHOLDER.encode("ascii")
_SEAL = re.compile(rb"sha256:([0-9a-f]{64})")


class SealError(ValueError):
    """A renderer produced output without the placeholder (a programming error)."""


def seal(body: bytes) -> tuple[bytes, str]:
    if _PLACEHOLDER not in body:
        raise SealError("rendered report carries no seal placeholder")
    digest = hashlib.sha256(body).hexdigest()
    return body.replace(_PLACEHOLDER, b"sha256:" + digest.encode("ascii")), digest


@dataclass(frozen=True)
class Verification:
    ok: bool
    digest: str | None
    problem: str | None = None


def verify(data: bytes) -> Verification:
    candidates = [m.group(1) for m in _SEAL.finditer(data)]
    candidates = list(dict.fromkeys(c for c in candidates if c != b"0" * 64))
    if not candidates:
        return Verification(False, None, "no seal (sha256:<64 hex digits>) found in the file")
    for candidate in candidates:
        canonical = data.replace(b"sha256:" + candidate, _PLACEHOLDER)
        if hashlib.sha256(canonical).hexdigest().encode("ascii") == candidate:
            return Verification(True, candidate.decode("ascii"))
    return Verification(
        False, candidates[0].decode("ascii"), "the content does not match its seal: the file was changed"
    )
