"""Dates in the ladder's language, and a project's own labels over the catalogs."""

from __future__ import annotations

import datetime
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from guide.errors import ContentError
from guide.i18n.catalogs import babel_locale
from guide.i18n.dates import DateStyle
from guide.i18n.overrides import read_labels
from guide.render import SHIPPED_LAYOUTS, Layouts

TESTS = Path(__file__).parent.parent
LOCALISED = TESTS / "fixtures" / "ladders" / "localised"


@pytest.mark.parametrize(
    ("tag", "pattern", "typed", "shown"),
    [("de", "dd.MM.yyyy", "31.12.2026", "31. Dezember 2026"),
     ("ja", "yyyy/MM/dd", "2026/12/31", "2026年12月31日"),
     ("ar", "dd/MM/yyyy", "31/12/2026", "31 ديسمبر 2026"),
     ("en", "MM/dd/yyyy", "12/31/2026", "December 31, 2026"),
     ("en-GB", "dd/MM/yyyy", "31/12/2026", "31 December 2026")],
)  # fmt: skip
def test_a_date_is_typed_shown_and_read_in_the_locale(tag, pattern, typed, shown) -> None:
    dates = DateStyle.of(babel_locale(tag))
    day = datetime.date(2026, 12, 31)
    assert dates.pattern == pattern
    assert dates.field_text(day) == typed
    assert dates.read(typed) == day and dates.read("2026-12-31") == day
    assert dates.shown("2026-12-31") == shown and dates.shown("2026.1") == "2026.1"


def test_what_is_no_date_reads_as_none() -> None:
    dates = DateStyle.of(babel_locale("de"))
    assert dates.read("31.02.2026") is None and dates.read("bald") is None and dates.read("1.2.3") is None


def test_the_date_hint_is_spelt_in_the_language() -> None:
    layouts = Layouts()
    assert layouts.catalogs.language("de").words.date_hint == "TT.MM.JJJJ"
    assert layouts.catalogs.language("ja").words.date_hint == "年/月/日"


def _labels(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_project_overrides_a_label_and_a_plural(tmp_path) -> None:
    path = _labels(
        tmp_path,
        """\
        de:
          Contents: Inhaltsverzeichnis
          "%(count)s candidate": ["%(count)s Person", "%(count)s Personen"]
        en:
          Promotion packet · Confidential: Promotion case · Confidential
        """,
    )
    labels = read_labels(path)
    assert labels["de"]["Contents"] == ("Inhaltsverzeichnis",)
    assert labels["de"]["%(count)s candidate"] == ("%(count)s Person", "%(count)s Personen")
    assert labels["en"]["Promotion packet · Confidential"] == ("Promotion case · Confidential",)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [("de:\n  Contnts: Inhalt\n", ":2:3:", "no message 'Contnts' in the catalog (did you mean 'Contents'?)"),
     ("de:\n  Promotion packet: Antrag\n", ":2:3:", "no message 'Promotion packet' in the catalog (did"),
     ('de:\n  "Promotion packet: %(level)s": Antrag\n', ":2:34:", "must hold %(level)s"),
     ('de:\n  "%(count)s candidate": eine Person\n', ":2:26:", "a list of 2 forms"),
     ("de:\n  Contents: ''\n", ":2:13:", "empty"),
     ('de:\n  "Version %(version)s": "Fassung %(version)9999s"\n', ":2:26:", "a percent sign as %%"),
     ("de:\n  Contents: 100% Inhalt\n", ":2:13:", "write a percent sign as %%"),
     ("1de:\n  Contents: Inhalt\n", ":1:1:", "a language"),
     ("de: Inhalt\n", ":1:5:", "holds messages")],
)  # fmt: skip
def test_a_mistake_in_the_labels_is_said_at_its_line(tmp_path, text, where, message) -> None:
    path = _labels(tmp_path, text)
    with pytest.raises(ContentError) as raised:
        read_labels(path)
    said = "\n".join(map(str, raised.value.problems))
    assert f"{path}{where}" in said and message in said, said


def test_project_labels_reach_the_printed_documents(tmp_path, run_guide) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "layouts").mkdir()
    shutil.copy(LOCALISED / "de.yaml", project / "data" / "de.yaml")
    (project / "layouts" / "labels.yaml").write_text(
        "de:\n  Contents: Inhaltsverzeichnis\n  Signature: Unterschrift der Person\n", encoding="utf-8"
    )
    result = run_guide("build", "--only", "handbook,checklists", "--format", "pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    out = next((project / "output").iterdir())
    handbook = " ".join(page.extract_text() for page in PdfReader(out / "handbook.pdf").pages[:3])
    checklist = " ".join(
        page.extract_text() for page in PdfReader(next((out / "checklists").glob("*.pdf"))).pages
    )
    assert "Inhaltsverzeichnis" in handbook
    assert "Unterschrift der Person" in checklist


def test_a_language_without_words_is_said_at_its_line_until_the_project_gives_them(
    tmp_path, run_guide
) -> None:
    (tmp_path / "data").mkdir()
    ladder = (LOCALISED / "de.yaml").read_text(encoding="utf-8").replace("language: de", "language: ko")
    (tmp_path / "data" / "ko.yaml").write_text(ladder, encoding="utf-8")
    result = run_guide("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert "data/ko.yaml:12:13: guide has no words in 'ko'" in result.stderr + result.stdout
    from guide.i18n.catalogs import english_messages

    labels = {
        key: (list(forms[:1]) if len(forms) > 1 else f"한 {forms[0]}")
        for key, forms in english_messages().items()
    }
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "labels.yaml").write_text(
        yaml.safe_dump({"ko": labels}, allow_unicode=True), "utf-8"
    )
    assert run_guide("validate", cwd=tmp_path).returncode == 0


def test_a_projects_own_layout_sentence_takes_its_words_from_the_labels(tmp_path, run_guide) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "layouts").mkdir()
    shutil.copy(LOCALISED / "de.yaml", project / "data" / "de.yaml")
    handbook = (SHIPPED_LAYOUTS / "handbook.xml.j2").read_text(encoding="utf-8")
    extra = '<h1 id="where-next">{{ _("Where to go next") }}</h1>\n</document>'
    (project / "layouts" / "handbook.xml.j2").write_text(handbook.replace("</document>", extra), "utf-8")
    (project / "layouts" / "labels.yaml").write_text("de:\n  Where to go next: Wie es weitergeht\n", "utf-8")
    result = run_guide("build", "--only", "handbook", "--format", "pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    text = " ".join(
        page.extract_text()
        for page in PdfReader(project / "output" / "produktmanagement" / "handbook.pdf").pages
    )
    assert "Wie es weitergeht" in text and "Where to go next" not in text


def test_counts_in_a_sentence_are_written_as_the_language_writes_numbers() -> None:
    sentence = "{% trans count=n %}{{ count }} candidate{% pluralize %}{{ count }} candidates{% endtrans %}"
    layouts = Layouts()
    assert layouts.speaking("de").from_string(sentence).render(n=1234) == "1.234 Kandidatinnen und Kandidaten"
    assert layouts.speaking("en").from_string(sentence).render(n=1) == "1 candidate"
    assert layouts.speaking("fr").from_string(sentence).render(n=1234).startswith("1\u202f234 ")
