import pytest

from newscrawl.urls import canonicalize_url, is_tracking_param, same_site, url_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("HTTPS://WWW.Example.COM/Path/Story/", "https://www.example.com/Path/Story/"),
        (
            "https://example.com:443/a?utm_source=x&utm_medium=y&id=3#comments",
            "https://example.com/a?id=3",
        ),
        ("http://example.com:8080/a?fbclid=abc&gclid=1&xtor=RSS-3", "http://example.com:8080/a"),
        ("https://example.com/a?replytocom=42#respond", "https://example.com/a"),
        ("https://example.com/été 2025/", "https://example.com/%C3%A9t%C3%A9%202025/"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonicalize_url(raw, clean):
    assert canonicalize_url(raw) == clean


def test_canonicalize_resolves_relative_links():
    assert (
        canonicalize_url("../b/?utm_campaign=z", base="https://site.fr/a/x/")
        == "https://site.fr/a/b/"
    )


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.site.fr/story-slug/",
        "http://site.fr/story-slug",
        "https://site.fr/story-slug/?utm_source=newsletter&utm_medium=email",
        "https://www.site.fr/story-slug/amp/",
        "https://site.fr/story-slug?amp=1",
        "https://amp.site.fr/story-slug/",
        "https://m.site.fr/story-slug/#comments",
    ],
)
def test_variants_share_one_key(variant):
    assert url_key(variant) == "site.fr/story-slug"


def test_distinct_pages_keep_distinct_keys():
    assert url_key("https://site.fr/a/?id=1") != url_key("https://site.fr/a/?id=2")
    assert url_key("https://site.fr/a/?b=2&a=1") == url_key("https://site.fr/a?a=1&b=2")
    assert url_key("https://www.site.fr/a") != url_key("https://www.other.fr/a")


def test_tracking_params_and_same_site():
    assert is_tracking_param("utm_content") and is_tracking_param("FBCLID")
    assert not is_tracking_param("page") and not is_tracking_param("id")
    assert same_site("https://www.site.fr/a", "http://site.fr/b")
    assert not same_site("https://site.fr/a", "https://other.fr/a")


def test_same_site_compares_registrable_domains():
    assert same_site("https://sport.example.co.uk/a", "https://www.example.co.uk/b")
    assert same_site("https://blog.site.fr/x", "https://site.fr/y")
    assert not same_site("https://alice.blogspot.com/", "https://bob.blogspot.com/")
    assert not same_site("https://site.co.uk/", "https://other.co.uk/")
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b")
    assert not same_site("http://127.0.0.1/a", "http://127.0.0.2/a")
    assert same_site("https://techpulse.example/a", "https://www.techpulse.example/b")
