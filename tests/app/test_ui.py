"""The web UI in a real headless browser (Debian chromium driven by Playwright) and its /ask API
through gradio_client. `python ui.py` runs as a user would start it, on 127.0.0.1, and is stopped
by its PID."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from conftest import ROOT, SOURCES, TEST_ARTICLES, RunningUI, copy_articles

pytestmark = pytest.mark.integration   # real model, Chroma, browser or CLI processes

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "artifacts" / "screenshots"


class _Listener(http.server.BaseHTTPRequestHandler):
    """Stands in for a remote image host: any request that reaches it is a leak."""
    hits: list[str] = []

    def do_GET(self):
        _Listener.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def leak_port():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def xss_article(leak_port: int) -> str:
    return f"""Kon Tum: Ban Dân vận Tỉnh ủy ký kết chương trình phối hợp với Hội Nông dân tỉnh <script>window.__xss = 1; alert('xss-1')</script>
Ngày 9/9/2024, Ban Dân vận Tỉnh ủy Kon Tum và Hội Nông dân tỉnh ký kết chương trình phối hợp giai đoạn 2024 - 2028. <img src="http://127.0.0.1:{leak_port}/onerror.png" onerror="window.__xss = 2; alert('xss-2')">
Dự lễ ký kết có ông A Pớt, Phó Bí thư Tỉnh ủy; bà Y Ngọc, Trưởng ban Dân vận Tỉnh ủy.
Hai bên thống nhất phối hợp tuyên truyền chính sách cho nông dân; <a href="javascript:alert('xss-3')">bấm vào đây</a> vận động nông dân tham gia phong trào thi đua; ![ảnh](http://127.0.0.1:{leak_port}/markdown.png) xây dựng mô hình kinh tế tập thể.
<iframe src="http://127.0.0.1:{leak_port}/frame"></iframe>
Hồng Nhung
"""


@pytest.fixture(scope="module")
def ui(tmp_path_factory, leak_port):
    src = tmp_path_factory.mktemp("sources")
    copy_articles(src, sorted(SOURCES.iterdir()))
    (src / "kon_tum_xss.txt").write_text(xss_article(leak_port), encoding="utf-8")
    server = RunningUI(src, tmp_path_factory.mktemp("index"), tmp_path_factory.mktemp("log"))
    yield {"url": server.url, "sources": src, "port": server.port}
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium missing: `make test` installs it with apt-get"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, ui):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(ui["url"])
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def ask(page, question: str) -> str:
    before = page.locator("#chat .answer:not(.streaming)").count()
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .answer:not(.streaming)').length > n", arg=before)
    return page.locator("#chat .answer:not(.streaming)").last.inner_text()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_ask_and_open_a_source(page):
    answer = ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    assert "Lê Văn Bảo" in answer and "Nguyễn Tiến Hùng" in answer and "[1]" in answer
    source = page.locator("#chat details.source").last
    assert "Quảng Bình" in source.locator("summary").inner_text()
    passage = source.locator(".passage")
    assert not passage.is_visible()
    source.locator("summary").click()
    assert passage.is_visible()
    assert "Chủ trì hội nghị có ông Lê Văn Bảo" in source.locator("mark").inner_text()
    shot(page, "chat-with-source")


def test_follow_up_example_and_new_conversation(page):
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    assert "Nguyễn Thị Loan" in ask(page, "Còn ở Phú Bình thì sao?")
    page.click("#new-chat")
    page.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 0")
    page.get_by_text("Tóm tắt nhanh lễ ký kết ở Ngã Bảy").first.click()
    page.wait_for_function("() => document.querySelector('#question textarea').value !== ''")
    assert page.input_value("#question textarea") == "Tóm tắt nhanh lễ ký kết ở Ngã Bảy"


def test_two_users_keep_their_own_conversations(browser, ui):
    pages = []
    for _ in range(2):
        context = browser.new_context()
        p = context.new_page()
        p.set_default_timeout(60_000)
        p.goto(ui["url"])
        p.wait_for_selector("#question textarea")
        pages.append(p)
    a, b = pages
    ask(a, "Quảng Bình ký kết chương trình phối hợp ngày nào?")
    ask(b, "Ngã Bảy ký kết chương trình phối hợp ngày nào?")
    assert "Lê Văn Bảo" in ask(a, "Ai chủ trì?")
    assert "Dương Văn Sơn" in ask(b, "Những ai dự lễ đó?")
    for p in pages:
        p.context.close()


def test_upload_ask_and_delete(page, ui):
    page.get_by_role("tab", name="Bài viết").click()
    page.set_input_files("#upload input[type=file]", str(TEST_ARTICLES / "lao_cai_tuyen_giao_dan_van.txt"))
    page.wait_for_function("() => document.querySelector('#upload-result')?.innerText.includes('lập chỉ mục')")
    assert "lao_cai_tuyen_giao_dan_van.txt" in page.inner_text("#corpus")
    assert (ui["sources"] / "lao_cai_tuyen_giao_dan_van.txt").exists()
    shot(page, "corpus-after-upload")

    # a rejected upload is named with its reason and never stored
    bad = ui["sources"].parent / "hong.txt"
    bad.write_bytes(b"\x00\x01" * 3000)
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_function("() => document.querySelector('#upload-result')?.innerText.includes('bị từ chối')")
    assert "nhị phân" in page.inner_text("#upload-result")
    assert not (ui["sources"] / "hong.txt").exists()

    page.get_by_role("tab", name="Hỏi đáp").click()
    answer = ask(page, "Ai dự hội nghị ký kết ở Lào Cai?")
    assert "Giàng Thị Dung" in answer and "Thiếu tướng, Giám đốc Công an tỉnh" in answer

    page.get_by_role("tab", name="Bài viết").click()
    page.click("#delete-choice input")
    page.get_by_role("option", name="lao_cai_tuyen_giao_dan_van.txt").click()
    page.click("#delete")
    page.wait_for_function("() => document.querySelector('#delete-result')?.innerText.includes('đã xóa')")
    assert not (ui["sources"] / "lao_cai_tuyen_giao_dan_van.txt").exists()
    assert "lao_cai_tuyen_giao_dan_van.txt" not in page.inner_text("#corpus")
    page.get_by_role("tab", name="Hỏi đáp").click()
    assert "Không tìm thấy thông tin" in ask(page, "Ai dự hội nghị ký kết ở Lào Cai?")


def test_briefing_shown_and_downloadable(page, tmp_path):
    import docx

    page.get_by_role("tab", name="Tóm tắt chuẩn bị họp").click()
    page.click("#brief-programs input")
    page.get_by_role("option", name="huyện Phú Bình, Thái Nguyên — 003_a972841ddb3fa63a.txt").click()
    page.click("#make-brief")
    page.wait_for_function("() => document.querySelector('#brief')?.innerText.includes('TÓM TẮT')")
    brief = page.inner_text("#brief")
    assert "23/06/2022" in brief and "Nguyễn Thị Loan" in brief and "2022 - 2026" in brief
    shot(page, "briefing")
    with page.expect_download() as md_download:
        page.click("#download-md")
    md = tmp_path / "brief.md"
    md_download.value.save_as(md)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Ghi chú chuẩn bị họp") and "23/06/2022" in text and "## Nguồn" in text
    with page.expect_download() as docx_download:
        page.click("#download-docx")
    path = tmp_path / "brief.docx"
    docx_download.value.save_as(path)
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Ghi chú chuẩn bị họp" in paragraphs and any("Nguyễn Thị Loan" in p for p in paragraphs)


def test_article_with_xss_payloads_executes_and_loads_nothing(browser, ui, leak_port):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(ui["url"])
    page.wait_for_selector("#question textarea")
    answer = ask(page, "Tóm tắt lễ ký kết ở Kon Tum")
    for source in page.locator("#chat details.source summary").all():
        source.click()
    page.get_by_role("tab", name="Bài viết").click()
    page.wait_for_timeout(1500)
    shot(page, "xss-article")
    page.get_by_role("tab", name="Hỏi đáp").click()
    chat = page.inner_text("#chat")
    assert "A Pớt" in answer or "09/09/2024" in answer
    assert "<script>" in chat or "<img" in chat  # the payload is shown as text
    assert dialogs == []
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#chat script, #chat iframe, #chat img[onerror]").count() == 0
    assert page.locator("#chat a[href^='javascript']").count() == 0
    assert not [u for u in requests if f":{leak_port}" in u]
    assert _Listener.hits == []
    context.close()


def test_api_ask_through_gradio_client(ui):
    from gradio_client import Client

    client = Client(ui["url"], verbose=False)
    result = client.predict("Ai dự lễ ký kết ở Cần Thơ?", api_name="/ask")
    assert set(result) == {"question", "answer", "refused", "citations", "seconds"}
    assert result["refused"] is False and "Nguyễn Ngọc Tâm" in result["answer"]
    assert set(result["citations"][0]) == {"n", "source", "title", "url", "date", "quote", "text"}
    refused = client.predict("Kinh phí thực hiện chương trình ở Quảng Bình là bao nhiêu?", api_name="/ask")
    assert refused["refused"] is True and refused["citations"] == []
    empty = client.predict("", api_name="/ask")
    assert empty["refused"] is True
