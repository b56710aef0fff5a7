"""The `newscrawl` console script: extract prints the stable JSON; demo is repeatable."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newscrawl.samples import site_dir

SEED_URL = "https://www.larevuedudigital.com/la-chine-annonce-des-investissements-en-ia-du-niveau-de-ceux-des-etats-unis/"


def newscrawl(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", *args], capture_output=True, text=True, **kwargs
    )


def test_extract_file_prints_json():
    page = site_dir("larevuedudigital") / SEED_URL.split(".com/")[1] / "index.html"
    result = newscrawl("extract", str(page), "--url", SEED_URL)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["article"]["canonical_url"] == SEED_URL
    assert [b["label"] for b in data["related"]] == [
        "Top lectures en ce moment",
        "L'IA clé de nos besoins vitaux dans l'eau, l'électricité et le gaz",
    ]
    assert len(data["comments"]) == 1


def test_extract_url_from_local_server(site_server):
    server = site_server("techpulse")
    result = newscrawl("extract", server.url + "/2024/11/05/rust-lands-in-the-linux-kernel/")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["article"]["title"] == "Rust lands in the Linux kernel driver core"
    assert len(data["comments"]) == 5


def test_extract_missing_file_and_unknown_profile(tmp_path):
    assert newscrawl("extract", str(tmp_path / "nope.html")).returncode == 2
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>x</p></body></html>")
    result = newscrawl("extract", str(page), "--profile", "nosuchsite")
    assert result.returncode == 2 and "unknown profile" in result.stderr


def test_scrapy_extract_command():
    page = site_dir("larevuedudigital") / SEED_URL.split(".com/")[1] / "index.html"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "extract", str(page), "--url", SEED_URL],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"]["title"].startswith("La Chine annonce")


@pytest.mark.slow
def test_demo_twice_keeps_counts(tmp_path):
    db = tmp_path / "new-folder" / "news.db"  # a folder that does not exist yet
    first = newscrawl("demo", "--db", str(db), timeout=300)
    assert first.returncode == 0, first.stderr + first.stdout
    second = newscrawl("demo", "--db", str(db), timeout=300)
    assert second.returncode == 0, second.stderr

    def table(output: str) -> list[str]:
        return [
            line
            for line in output.splitlines()
            if line.startswith(("larevuedudigital", "techpulse"))
        ]

    assert table(first.stdout) == table(second.stdout)
    assert any(line.split()[1:] == ["7", "13", "39", "11"] for line in table(first.stdout))
