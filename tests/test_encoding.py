"""Pages in 8 legacy encodings without a <meta charset>, with and without a wrong HTTP header:
the text decoded (and the text a crawl stores) equals the source."""

from __future__ import annotations

import sqlite3

import pytest

from newscrawl.extract.document import decode_document
from newscrawl.samples.server import Answer, SampleSite

from .conftest import crawl_stats, run_crawl

TEXTS = {
    "shift_jis": "東京都は十二日、新型の人工知能を使った行政サービスの実証実験を始めると発表した。"
    "区役所の窓口で住民の質問に答える仕組みで、来年春までに結果をまとめる。担当者は「待ち時間を減らしたい」と話している。",
    "euc_jp": "大阪市は十五日、市内の小学校で電子教科書の利用を広げると発表した。"
    "来年度からすべての学年で使えるようにし、教員の研修も進める。保護者からは期待の声が上がっている。",
    "gbk": "北京时间十二日，一家科技公司发布了新的人工智能芯片，称其性能比上一代提高了一倍。"
    "分析人士认为，这将加剧市场竞争，并推动数据中心的升级换代。",
    "big5": "台北時間十二日，一家科技公司發表了新的人工智慧晶片，稱其效能比上一代提高了一倍。"
    "分析人士認為，這將加劇市場競爭，並推動資料中心的升級換代。",
    "euc_kr": "서울시는 12일 인공지능을 활용한 행정 서비스 시범 사업을 시작한다고 밝혔다. "
    "구청 창구에서 주민의 질문에 답하는 방식으로, 내년 봄까지 결과를 정리할 계획이다.",
    "windows-1251": "Московская компания представила новый процессор для центров обработки данных. "
    "По словам разработчиков, он потребляет на треть меньше энергии, чем предыдущая модель.",
    "iso-8859-7": "Άρθρο: Η ελληνική εταιρεία παρουσίασε έναν νέο επεξεργαστή για κέντρα δεδομένων. "
    "Σύμφωνα με τους μηχανικούς, καταναλώνει λιγότερη ενέργεια από το προηγούμενο μοντέλο.",
    "windows-1252": "Le député a réagi à l’été, à Noël, où il était déjà là-bas. « Ça coûte cher » "
    "à la fin de l’année — 30 € par an, mais c’est la vie à Paris, dit-il à la presse.",
}
LANGUAGES = {"shift_jis": "ja", "euc_jp": "ja", "gbk": "zh", "big5": "zh", "euc_kr": "ko",
             "windows-1251": "ru", "iso-8859-7": "el", "windows-1252": "fr"}  # fmt: skip
# Enough \w+ runs (a CJK run is one) for each page to be a clear article: `_is_article` wants
# 30 "words", and the page-type model gives these pages p(article) > 0.7 from 16 paragraphs.
PARAGRAPHS = 16
# None: no header charset; then the two server defaults that lie most often.
HEADERS = {"none": "text/html", "utf8": "text/html; charset=utf-8",
           "latin1": "text/html; charset=iso-8859-1"}  # fmt: skip


def html(encoding: str) -> str:
    text = TEXTS[encoding]
    return (
        f'<!doctype html><html lang="{LANGUAGES[encoding]}"><head><title>{text[:12]}</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2025-02-03T09:00:00+01:00"></head>'
        f"<body><article><h1>{text[:12]}</h1>{f'<p>{text}</p>' * PARAGRAPHS}"
        "</article></body></html>"
    )


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("encoding", TEXTS)
def test_decoded_text_equals_the_source(encoding, header):
    source = html(encoding)
    decoded = decode_document(source.encode(encoding), HEADERS[header])
    assert decoded.text == source
    wrong = header != "none" and not (header == "latin1" and encoding == "windows-1252")
    assert decoded.header_mismatch == wrong


def test_bom_header_meta_order():
    page = "<html><head><meta charset='windows-1251'></head><body>été</body></html>"
    assert decode_document("\ufeff".encode() + page.encode("utf-8")).source == "bom"
    assert decode_document(page.encode("utf-8"), "text/html; charset=cp1251").source == "bytes"
    latin = page.replace("windows-1251", "iso-8859-1").encode("cp1252")
    assert decode_document(latin).source == "meta"
    assert decode_document(latin, "text/html; charset=windows-1252").source == "header"
    assert decode_document(b"<p>plain ascii</p>", "text/html; charset=utf-8").source == "header"


@pytest.mark.slow
def test_a_crawl_stores_the_source_text(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    server = SampleSite(root).start()
    paths = []
    for n, encoding in enumerate(TEXTS):
        for header, content_type in HEADERS.items():
            path = f"/story-{n}-{header}/"
            paths.append((path, encoding))
            server.answers[path] = Answer(
                200, html(encoding).encode(encoding), content_type=content_type
            )
    links = "".join(f'<a href="{path}">{path}</a>' for path, _ in paths)
    server.answers["/"] = Answer(200, f"<html><body>{links}</body></html>")
    db = tmp_path / "news.db"
    try:
        result = run_crawl("generic", db, {"start_url": server.url + "/"})
    finally:
        server.stop()
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("select url, body from articles").fetchall())
    assert len(stored) == len(paths) == 24
    for path, encoding in paths:
        text = TEXTS[encoding]
        assert stored[server.url + path] == "\n\n".join([" ".join(text.split())] * PARAGRAPHS), path
    stats = crawl_stats(result)
    assert (
        "'newscrawl/encoding/header_mismatch': 15" in stats
    )  # 16 wrong headers, less cp1252-as-latin1
