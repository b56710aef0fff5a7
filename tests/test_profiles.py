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
    env_ok = {"NEWSCRAWL_SITES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
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
