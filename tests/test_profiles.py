"""Profiles load from TOML; a malformed one fails with the file and the key named."""

from pathlib import Path

import pytest

from newscrawl.profiles import ProfileError, load_profile, load_profiles

GOOD = """
name = "example"
base_url = "https://www.example.com"
article_url_pattern = '/\\d{4}/\\d{2}/'
[article]
body = "div.story"
[[related]]
container = "aside.most-read"
kind = "popular"
[comments]
source = "html"
item = "li.comment"
"""


def write(tmp_path: Path, text: str, name: str = "example.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_profiles_load():
    profiles = load_profiles()
    assert "larevuedudigital" in profiles
    profile = profiles["larevuedudigital"]
    assert profile.is_article_url(
        "https://www.larevuedudigital.com/la-chine-annonce-des-investissements-en-ia-du-niveau-de-ceux-des-etats-unis/"
    )
    assert not profile.is_article_url("https://www.larevuedudigital.com/tag/chine/")
    assert not profile.is_article_url("https://www.other.com/la-chine-annonce-des-investissements/")
    assert [r.kind for r in profile.related] == ["popular", "dossier"]


def test_good_profile(tmp_path):
    profile = load_profile(write(tmp_path, GOOD))
    assert profile.name == "example"
    assert profile.domains == ("example.com",)
    assert profile.start_urls == ("https://www.example.com/",)
    assert profile.is_article_url("https://example.com/2025/01/story/")
    assert profile.article["body"].query == "div.story"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (
            GOOD.replace('name = "example"', 'name = "example"\ncolour = "red"'),
            "colour",
            "unknown key",
        ),
        (GOOD.replace('base_url = "https://www.example.com"', ""), "base_url", "is required"),
        (GOOD.replace("https://www.example.com", "example.com"), "base_url", "absolute"),
        (
            GOOD.replace('body = "div.story"', 'body = "div..story["'),
            "article.body",
            "invalid selector",
        ),
        (
            GOOD.replace('body = "div.story"', 'body = "xpath://div[@"'),
            "article.body",
            "invalid selector",
        ),
        (
            GOOD.replace('kind = "popular"', 'kind = "trending"'),
            "related[0].kind",
            "must be one of",
        ),
        (
            GOOD.replace("'/\\d{4}/\\d{2}/'", "'(unclosed'"),
            "article_url_pattern",
            "invalid regular expression",
        ),
        (GOOD.replace('source = "html"', 'source = "wp-rest"'), "comments.api_url", "is required"),
        (
            GOOD.replace("[article]", "[article]\nheadline = 'h1'"),
            "article.headline",
            "unknown key",
        ),
        (GOOD + "\n[article\n", "", "not valid TOML"),
    ],
)
def test_malformed_profile_names_file_and_key(tmp_path, text, key, problem):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    message = str(error.value)
    assert str(path) in message
    assert problem in message
    if key:
        assert f"key '{key}'" in message


def test_unknown_timezone(tmp_path):
    path = write(tmp_path, 'timezone = "Mars/Olympus"\n' + GOOD)
    with pytest.raises(ProfileError, match="key 'timezone': unknown time zone"):
        load_profile(path)


def test_extra_sites_dir_adds_a_spider_and_a_bad_file_stops_only_its_own(tmp_path):
    import subprocess
    import sys

    write(tmp_path, GOOD)
    env_ok = {
        "NEWSCRAWL_SITES_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    root = Path(__file__).parents[1]
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True,
                            cwd=root, env=env_ok, check=True)  # fmt: skip
    assert listed.stdout.split() == ["article", "example", "generic", "larevuedudigital"]
    write(tmp_path, GOOD.replace('kind = "popular"', 'kind = "bogus"').replace(
        'name = "example"', 'name = "broken"'), "broken.toml")  # fmt: skip
    still = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True,
                           cwd=root, env=env_ok)  # fmt: skip
    assert still.returncode == 0  # the good profiles' spiders keep working
    assert still.stdout.split() == ["article", "example", "generic", "larevuedudigital"]
    assert "broken.toml: key 'related[0].kind'" in still.stderr
    assert "Traceback" not in still.stderr
    crawl = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "broken"], capture_output=True,
                           text=True, cwd=root, env=env_ok)  # fmt: skip
    assert crawl.returncode == 2
    last = crawl.stderr.strip().splitlines()[-1]
    assert last.startswith("scrapy crawl broken: spider broken is not available, its profile is")
    assert "broken.toml: key 'related[0].kind': must be one of" in last
    assert "Traceback" not in crawl.stderr


def test_missing_sites_dir_is_reported(tmp_path):
    import subprocess
    import sys

    env = {"NEWSCRAWL_SITES_DIR": str(tmp_path / "nope"), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True,
                            cwd=Path(__file__).parents[1], env=env, check=True)  # fmt: skip
    assert f"NEWSCRAWL_SITES_DIR names {tmp_path / 'nope'}, which is not a folder" in listed.stderr


# --- the key registry and docs/sites.md ---------------------------------------------------------


def _documented_keys() -> dict[str, set[str]]:
    """Keys in the first column of each key table of docs/sites.md, by the table its heading names."""
    import re

    text = (Path(__file__).parents[1] / "docs" / "sites.md").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    table = None
    for line in text.splitlines():
        if line.startswith("#"):
            heading = re.match(r"#+ `\[{1,2}(\w+)\]{1,2}`", line)
            table = (
                heading.group(1) if heading else ("" if line.strip() == "## Every key" else None)
            )
        elif table is not None and line.startswith("| `"):
            first = line.split("|")[1]
            found.setdefault(table, set()).update(re.findall(r"`(\w+)`", first))
    return found


def test_docs_list_exactly_the_keys_the_dataclasses_accept():
    from newscrawl.profiles import profile_keys

    documented = _documented_keys()
    for table, keys in profile_keys().items():
        assert documented.get(table) == set(keys), f"docs/sites.md table {table or 'top'!r}"
    assert set(documented) == set(profile_keys())


def test_every_key_has_a_meaning():
    from newscrawl.profiles import profile_keys

    for table, keys in profile_keys().items():
        for key, doc in keys.items():
            assert doc and len(doc) > 10, (table, key)


# --- dated blocks (valid_until), as fundus's parser versions -------------------------------------

REDESIGNED = """
name = "redesigned"
base_url = "https://www.example.com"
[[article]]
valid_until = 2023-12-31
title = "h1.old-title"
[[article]]
valid_until = 2024-05-31
title = "h1.mid-title"
body = "div.mid-body"
[[article]]
title = "h1.new-title"
[[related]]
valid_until = 2024-05-31
container = "aside.old-most-read"
kind = "popular"
[[related]]
container = "section.more"
[comments]
item = "li.comment"
"""


def test_dated_blocks_are_chosen_by_the_fetch_day(tmp_path):
    from datetime import date

    profile = load_profile(write(tmp_path, REDESIGNED, "redesigned.toml"))
    assert [x.valid_until for x in profile.layouts] == [date(2023, 12, 31), date(2024, 5, 31), None]
    assert profile.article["title"].query == "h1.new-title"  # the current design by default
    assert "body" not in profile.article
    old, mid, now = (
        profile.at("2023-06-01"),
        profile.at(date(2024, 5, 31)),
        profile.at("2024-06-01"),
    )
    assert old.article["title"].query == "h1.old-title"
    assert (
        mid.article["title"].query == "h1.mid-title" and mid.article["body"].query == "div.mid-body"
    )
    assert now.article["title"].query == "h1.new-title" and now is profile.at()
    # Related rules sharing a day are one design; the oldest design inherits the next newer one's.
    assert [r.container.query for r in old.related] == ["aside.old-most-read"]
    assert [r.container.query for r in now.related] == ["section.more"]
    assert old.comments.item.query == "li.comment" == now.comments.item.query


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (
            REDESIGNED.replace("valid_until = 2024-05-31\ntitle", "title"),
            "article[2].valid_until",
            "a second [article] block",
        ),  # fmt: skip
        (
            REDESIGNED.replace("valid_until = 2023-12-31", 'valid_until = "last year"'),
            "article[0].valid_until",
            "must be a date",
        ),  # fmt: skip
        (
            REDESIGNED.replace("[comments]", "[[comments]]\nvalid_until = 1\n[[comments]]"),
            "comments[0].valid_until",
            "must be a date",
        ),  # fmt: skip
        (
            'base_url = "https://www.example.com"\narticle = 3\n',
            "article",
            "must be a table",
        ),  # fmt: skip
    ],
)
def test_malformed_dated_blocks(tmp_path, text, key, problem):
    with pytest.raises(ProfileError) as error:
        load_profile(write(tmp_path, text, "redesigned.toml"))
    assert f"key '{key}'" in str(error.value) and problem in str(error.value)


def test_names_may_start_with_a_digit_and_must_not_shadow_built_in_spiders(tmp_path, caplog):
    from scrapy.settings import Settings

    from newscrawl.spiders.loader import ProfileSpiderLoader

    assert (
        load_profile(write(tmp_path, GOOD.replace('"example"', '"01net"'), "01net.toml")).name
        == "01net"
    )
    folder = tmp_path / "clash"
    folder.mkdir()
    write(folder, GOOD.replace('"example"', '"generic"'), "generic.toml")
    import os

    old = os.environ.get("NEWSCRAWL_SITES_DIR")
    os.environ["NEWSCRAWL_SITES_DIR"] = str(folder)
    try:
        loader = ProfileSpiderLoader(Settings({"SPIDER_MODULES": ["newscrawl.spiders"]}))
        # the profile is skipped with a warning; the built-in spider keeps its name
        assert "'generic' is the name of a built-in spider" in caplog.text
        from newscrawl.spiders.generic import GenericSpider

        assert loader.load("generic") is GenericSpider
    finally:
        if old is None:
            os.environ.pop("NEWSCRAWL_SITES_DIR")
        else:
            os.environ["NEWSCRAWL_SITES_DIR"] = old


def test_the_loader_builds_one_spider_per_profile(tmp_path, monkeypatch):
    from scrapy.settings import Settings

    from newscrawl.spiders.loader import ProfileSpiderLoader
    from newscrawl.spiders.sites import ProfileSpider

    write(tmp_path, GOOD)
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(tmp_path))
    loader = ProfileSpiderLoader(Settings({"SPIDER_MODULES": ["newscrawl.spiders"]}))
    assert sorted(loader.list()) == ["article", "example", "generic", "larevuedudigital"]
    spider = loader.load("example")
    assert issubclass(spider, ProfileSpider) and spider.__name__ == "ExampleSpider"
    assert spider.profile.path == tmp_path / "example.toml"
    from scrapy import Request

    assert loader.find_by_request(Request("https://www.example.com/a/")) == ["example"]
