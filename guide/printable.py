"""The check that every text a PDF prints has a font: a character no embedded font has is a
message at the place it was written, found from the places the readers kept (never by reading
a file again)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from guide.errors import Location
from guide.glyphs import Chain, unsupported_characters
from guide.ladder import Ladder


def ladder_problems(ladder: Ladder, chain: Chain) -> list[Location]:
    """Return a problem at each place in `ladder`'s file that holds a character no font of `chain` has."""
    problems = []
    for text, runs in _unprintable_runs(dict.fromkeys(ladder.texts()), chain):
        places = ladder.places.get(text, ())
        for run in runs:
            problems += [Location(ladder.source, *place.of(run), unprintable(run)) for place in places]
            if not places:  # a text the reader did not place: the file as a whole
                problems.append(Location(ladder.source, None, None, unprintable(run)))
    return sorted(set(problems), key=lambda p: (p.line or 0, p.col or 0, p.message))


def row_problems(path: Path, rows: Iterable[tuple[int, Iterable[str]]], chain: Chain) -> list[Location]:
    """Return a problem at each row of the file at `path` holding a character no font of `chain` has.

    `rows` are each row's line and the texts of it that PDFs print.
    """
    problems = []
    for line, texts in rows:
        for _text, runs in _unprintable_runs(texts, chain):
            problems += [Location(path, line, None, unprintable(run)) for run in runs]
    return problems


def unprintable(run: str) -> str:
    """Return the message for `run`, characters that no embedded font has."""
    codes = " ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(run))
    return f"PDFs cannot show '{run}' ({codes}): none of the fonts guide embeds has it"


def _unprintable_runs(texts: Iterable[str], chain: Chain) -> Iterator[tuple[str, list[str]]]:
    """Yield each text of `texts` that holds characters no font of `chain` has, with its runs of them."""
    texts = list(texts)
    missing = set(unsupported_characters("".join(texts), chain))  # one pass over all: mostly nothing
    if not missing:
        return
    runs = re.compile("[" + "".join(re.escape(c) for c in sorted(missing)) + "]+")
    for text in texts:
        found = [run.group() for run in runs.finditer(text)]
        if found:
            yield text, list(dict.fromkeys(found))
