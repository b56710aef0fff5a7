"""One settings registry: every NEWSCRAWL_* setting is defined once (newscrawl/config.py), used
through it, and documented in the one table of docs/settings.md (as Datasette's
test_settings_are_documented does for its settings)."""

from __future__ import annotations

import re

import pytest
from scrapy.settings import Settings

from newscrawl import config
from newscrawl import settings as project_settings

from .conftest import ROOT

SETTINGS_DOC = ROOT / "docs" / "settings.md"
NAME = re.compile(r"\bNEWSCRAWL_[A-Z0-9_]+\b")
# Environment variables of the test suite and of Chromium, not crawl settings.
NOT_SETTINGS = {"NEWSCRAWL_CORPUS", "NEWSCRAWL_CHROMIUM", "NEWSCRAWL_SCREENSHOTS"}


def documented_rows() -> dict[str, str]:
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    start = text.index("<!-- settings-table")
    end = text.index("<!-- end settings-table -->")
    rows = {}
    for line in text[start:end].splitlines():
        match = re.match(r"\| `(NEWSCRAWL_[A-Z0-9_]+)` \|", line)
        if match:
            rows[match.group(1)] = line
    return rows


def test_every_registered_setting_is_documented_as_the_registry_says():
    documented = documented_rows()
    generated = {
        NAME.search(line).group(0): line
        for line in config.markdown_table().splitlines()
        if line.startswith("| `NEWSCRAWL_")
    }
    missing = sorted(set(generated) - set(documented))
    assert not missing, (
        f"in newscrawl/config.py but not in docs/settings.md: {', '.join(missing)}"
        " (paste the table `python -m newscrawl.config` prints)"
    )
    extra = sorted(set(documented) - set(generated))
    assert not extra, f"in docs/settings.md but not in newscrawl/config.py: {', '.join(extra)}"
    stale = [name for name in generated if generated[name] != documented[name]]
    assert not stale, (
        f"docs/settings.md differs from the registry for {', '.join(stale)}:\n"
        + "\n".join(f"docs:     {documented[n]}\nregistry: {generated[n]}" for n in stale)
    )
    assert list(documented) == list(generated)  # one table, in the registry's order


def test_settings_py_defines_no_newscrawl_setting_of_its_own():
    defined = {name for name in vars(project_settings) if name.startswith("NEWSCRAWL_")}
    unregistered = sorted(defined - set(config.SETTINGS))
    assert not unregistered, (
        f"settings.py defines {', '.join(unregistered)} outside the registry: add a Setting(...)"
        " entry to newscrawl/config.py and read it with config.get"
    )
    for entry in config.REGISTRY:
        if entry.source != "env":
            assert entry.name in defined, f"{entry.name} is missing from settings.py"


def test_every_setting_the_package_reads_is_registered():
    used: dict[str, set[str]] = {}
    for path in (ROOT / "newscrawl").rglob("*.py"):
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    unknown = {name: files for name, files in used.items() if name not in config.SETTINGS}
    unknown = {name: files for name, files in unknown.items() if name not in NOT_SETTINGS}
    assert not unknown, "not in newscrawl/config.py's registry: " + "; ".join(
        f"{name} (used in {', '.join(sorted(files))})" for name, files in sorted(unknown.items())
    )


def test_no_component_repeats_a_default():
    """`getint("NEWSCRAWL_X", 200)`-style fallbacks are how defaults drifted apart."""
    pattern = re.compile(r"\.get(?:int|float|bool|list|dict)?\(\s*[\"']NEWSCRAWL_[A-Z0-9_]+[\"']")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "newscrawl").rglob("*.py")
        if path.name != "config.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"read NEWSCRAWL_* settings through config.get in: {offenders}"


def test_other_docs_have_no_settings_table_of_their_own():
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        if path == SETTINGS_DOC:
            continue
        rows = re.findall(r"^\| `NEWSCRAWL_[A-Z0-9_]+` \|", path.read_text(encoding="utf-8"), re.M)
        assert not rows, f"{path.name} has its own settings table: link docs/settings.md instead"


def test_typed_reads_defaults_and_one_line_errors(monkeypatch):
    settings = Settings({"NEWSCRAWL_DB_RETRIES": "50", "NEWSCRAWL_INCREMENTAL": "False"})
    assert config.get(settings, "NEWSCRAWL_DB_RETRIES") == 50
    assert config.get(settings, "NEWSCRAWL_INCREMENTAL") is False
    assert config.get(Settings(), "NEWSCRAWL_MAX_CRAWL_DELAY") == 30.0  # the registry's default
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", "/a:/b")
    assert (
        config.get(Settings({"NEWSCRAWL_SITES_DIR": "/ignored"}), "NEWSCRAWL_SITES_DIR") == "/a:/b"
    )
    bad = Settings(
        {"NEWSCRAWL_DB_RETRIES": "abc", "NEWSCRAWL_MIRRORS": "{oops", "NEWSCRAWL_REVISIT_LIMIT": -1}
    )
    problems = config.check(bad)
    assert len(problems) == 3
    assert problems[0].startswith("NEWSCRAWL_DB_RETRIES='abc' is not a whole number")
    assert problems[1].startswith("NEWSCRAWL_MIRRORS='{oops' is not JSON")
    assert problems[2].startswith("NEWSCRAWL_REVISIT_LIMIT=-1 must be >= 0")
    with pytest.raises(KeyError, match="NEWSCRAWL_NOPE is not in newscrawl.config.REGISTRY"):
        config.get(settings, "NEWSCRAWL_NOPE")


def test_environment_backed_defaults(monkeypatch):
    monkeypatch.setenv("NEWSCRAWL_DB", "/srv/news.db")
    assert config.scrapy_defaults()["NEWSCRAWL_DB"] == "/srv/news.db"
    monkeypatch.delenv("NEWSCRAWL_DB")
    assert config.scrapy_defaults()["NEWSCRAWL_DB"] == "data/news.db"
    assert "NEWSCRAWL_SITES_DIR" not in config.scrapy_defaults()  # environment only
