"""The web UI in a real headless browser (Debian chromium driven by Playwright) and its /ask API
through gradio_client. `python ui.py` runs as a user would start it, on 127.0.0.1, and is stopped
by its PID. Screenshots of desktop light, desktop dark and phone go to artifacts/screenshots/."""

from __future__ import annotations

import http.server
import json
import sqlite3
import tempfile
import threading
import urllib.error
import urllib.request
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
    index, temp = tmp_path_factory.mktemp("index"), tmp_path_factory.mktemp("tmp")
    # the server's temporary folder is the test's, to check that nothing is left in it
    server = RunningUI(src, index, tmp_path_factory.mktemp("log"), env={"TMPDIR": str(temp)})
    yield {"url": server.url, "sources": src, "port": server.port, "index": index, "tmp": temp, "server": server}
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
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(ui["url"])
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def ask(page, question: str) -> str:
    before = page.locator("#chat .answer-block").count()
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function("n => document.querySelectorAll('#chat .answer-block').length > n", arg=before)
    page.wait_for_selector("#send", state="visible")   # the answer is complete and stored
    return page.locator("#chat .answer-block .answer").last.inner_text()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def download(page, selector: str, target: Path) -> Path:
    with page.expect_download() as started:
        page.click(selector)
    started.value.save_as(target)
    return target


def chat_button(page, *labels: str):
    """A button of the chat (Gradio's icons), by its label in Vietnamese."""
    return page.locator(", ".join(f"#chat button[aria-label='{label}']" for label in labels)).last


def test_marker_opens_its_source_and_the_whole_article(page):
    answer = ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    assert "Lê Văn Bảo" in answer and "Nguyễn Tiến Hùng" in answer and "[1]" in answer
    source = page.locator("#chat details.source").last
    summary = source.locator("summary").inner_text()
    assert "Quảng Bình: Ký kết Chương trình phối hợp" in summary and "29/05" in summary  # title, date, place
    assert not source.locator(".passage").is_visible()
    quote = source.locator("mark").text_content()
    source.locator("a.whole-article").click()                              # from a closed source
    page.wait_for_selector("#article mark#article-quote")
    assert page.inner_text("#article mark") == quote
    page.locator("#chat .answer sup a").last.click()                       # [1] opens source 1
    assert source.locator(".passage").is_visible()
    assert "Chủ trì hội nghị có ông Lê Văn Bảo" in source.locator("mark").inner_text()
    article = page.inner_text("#article")
    assert "Toàn cảnh buổi ký kết" in article and len(article) > 2000       # the whole text, not the passage
    shot(page, "chat-with-source")


def test_examples_come_from_the_corpus_and_each_is_answered(page):
    assert "Hỏi về các chương trình phối hợp" in page.inner_text("#chat")  # the empty chat says what to ask
    page.wait_for_function("() => [...document.querySelectorAll('#chat button')]"
                           ".filter(b => b.innerText.length > 15).length >= 3")   # read from the index at load
    examples = [t for t in page.locator("#chat button").all_inner_texts() if len(t) > 15]
    assert len(examples) >= 3
    page.locator("#chat button", has_text=examples[0]).click()
    page.wait_for_function("q => document.querySelector('#question textarea').value === q", arg=examples[0])
    for question in examples:
        assert "Không tìm thấy thông tin" not in ask(page, question), question


def test_follow_ups_and_the_trash_icon_forgets_the_conversation(page):
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    assert "Nguyễn Thị Loan" in ask(page, "Còn ở Phú Bình thì sao?")
    chat_button(page, "Xóa", "Clear").click()
    page.wait_for_function("() => document.querySelectorAll('#chat .answer-block').length === 0")
    assert "Không tìm thấy thông tin" in ask(page, "Còn ở Phú Bình thì sao?")  # no context left


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


def test_history_survives_a_reload_and_past_chats_reopen(page):
    ask(page, "Ngã Bảy ký kết chương trình phối hợp ngày nào?")
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#chat .answer-block').length === 1")
    assert "31/12/2021" in page.inner_text("#chat")
    page.click("#new-chat")
    page.wait_for_function("() => document.querySelectorAll('#chat .answer-block').length === 0")
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    page.get_by_text("Lịch sử trò chuyện").click()
    page.click("#chat-list input")
    options = page.get_by_role("option").all_inner_texts()
    assert len(options) == 2 and any(o.startswith("Ngã Bảy ký kết") for o in options)
    page.get_by_role("option", name=next(o for o in options if o.startswith("Ngã Bảy"))).click()
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('31/12/2021')")
    assert "Lê Văn Bảo" not in page.inner_text("#chat")


def test_copy_gives_plain_text_with_the_sources(page):
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    page.locator("#chat button.copy-plain").last.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "Lê Văn Bảo" in copied and "[1]" in copied
    # the sources, each with its quote on an indented line (taken from the source, closed or not)
    assert "\nNguồn:\n[1] Quảng Bình: Ký kết" in copied and "\n    “Chủ trì hội nghị có ông Lê Văn Bảo" in copied
    page.click("#copy-chat")
    whole = page.evaluate("navigator.clipboard.readText()")
    assert whole.startswith("Hỏi: Ai dự lễ ký kết ở Quảng Bình?\nĐáp: ") and "<" not in whole


def test_regenerate_answers_the_last_question_again(page):
    ask(page, "Ai chủ trì hội nghị ở Quảng Bình?")
    first = page.locator("#chat .answer-block").last.inner_text()
    page.evaluate("() => { window.__answers = 0; new MutationObserver(() => { window.__answers = "
                  "document.querySelectorAll('#chat .answer-block').length; })"
                  ".observe(document.querySelector('#chat'), {childList: true, subtree: true}); }")
    chat_button(page, "Trả lời lại", "Retry").click()
    # answered again: the old answer goes, the new one comes, and the chat keeps one question
    page.wait_for_function("() => window.__answers === 1 && !document.querySelector('#chat .streaming')"
                           " && !!document.querySelector('#send')?.offsetParent")
    page.wait_for_timeout(500)
    assert page.locator("#chat .answer-block").count() == 1 and page.locator("#chat .question").count() == 1
    assert page.locator("#chat .answer-block").last.inner_text().split("Nguồn")[0] == first.split("Nguồn")[0]


def test_feedback_is_stored_with_the_question_answer_and_citations(page, ui):
    ask(page, "Ngã Bảy ký kết chương trình phối hợp ngày nào?")
    chat_button(page, "Hữu ích", "Like").click()
    page.wait_for_selector("#feedback-comment textarea", state="visible")
    chat_button(page, "Chưa tốt", "Dislike").click()                    # a change of mind: one row, changed
    page.wait_for_timeout(1000)
    page.fill("#feedback-comment textarea", "Thiếu giờ ký kết")
    page.click("#feedback-send")
    page.wait_for_function("() => document.querySelector('#feedback-status').innerText.includes('Đã lưu góp ý')")
    with sqlite3.connect(ui["index"] / "catalog.sqlite3") as db:
        rows = db.execute("SELECT rating, comment, question, answer, citations FROM feedback").fetchall()
    assert len(rows) == 1
    rating, comment, question, answer, citations = rows[0]
    assert (rating, comment, question) == ("down", "Thiếu giờ ký kết", "Ngã Bảy ký kết chương trình phối hợp ngày nào?")
    assert "31/12/2021" in answer and json.loads(citations)[0]["source"] == "002_227f3e806a73c8f0.txt"


def test_conversation_exports_as_markdown_and_docx(page, tmp_path):
    import docx

    ask(page, "Ngã Bảy ký kết chương trình phối hợp ngày nào?")
    ask(page, "Ai chủ trì?")
    md = download(page, "#export-md", tmp_path / "chat.md")
    text = md.read_text(encoding="utf-8")
    assert "## Hỏi: Ngã Bảy ký kết chương trình phối hợp ngày nào?" in text and "## Hỏi: Ai chủ trì?" in text
    assert "31/12/2021" in text and "Nguồn" in text and "<div" not in text
    path = download(page, "#export-docx", tmp_path / "chat.docx")
    paragraphs = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Ngã Bảy ký kết chương trình phối hợp ngày nào?" in paragraphs and "31/12/2021" in paragraphs


def _wait_html(page, selector: str, text: str) -> None:
    page.wait_for_function("([s, t]) => document.querySelector(s)?.innerText.includes(t)", arg=[selector, text])


def test_upload_lists_ask_delete_with_confirmation_and_restore(page, ui):
    page.get_by_role("tab", name="Bài viết").click()
    page.set_input_files("#upload input[type=file]", str(TEST_ARTICLES / "lao_cai_tuyen_giao_dan_van.txt"))
    _wait_html(page, "#upload-result", "lập chỉ mục")
    _wait_html(page, "#corpus", "lao_cai_tuyen_giao_dan_van.txt")
    bad = ui["sources"].parent / "hong.txt"
    bad.write_bytes(b"\x00\x01" * 3000)
    page.set_input_files("#upload input[type=file]", str(bad))
    _wait_html(page, "#upload-result", "bị từ chối")
    assert "nhị phân" in page.inner_text("#upload-result") and "lao_cai" not in page.inner_text("#upload-result")
    assert not (ui["sources"] / "hong.txt").exists()
    # uploaded temporaries are gone once handled, accepted or not
    left = [p.name for p in ui["tmp"].rglob("*") if p.is_file()]
    assert "lao_cai_tuyen_giao_dan_van.txt" not in left and "hong.txt" not in left

    page.reload()   # lists are read from the index at page load
    page.wait_for_selector("#question textarea")
    page.get_by_role("tab", name="Bài viết").click()
    _wait_html(page, "#corpus", "lao_cai_tuyen_giao_dan_van.txt")
    page.get_by_role("tab", name="Hỏi đáp").click()
    assert "Giàng Thị Dung" in ask(page, "Ai dự hội nghị ký kết ở Lào Cai?")

    page.get_by_role("tab", name="Bài viết").click()
    page.click("#delete-choice input")
    page.get_by_role("option", name="lao_cai_tuyen_giao_dan_van.txt").click()
    page.click("#delete")
    page.wait_for_selector("#confirm-delete", state="visible")
    page.click("#cancel-delete")                                     # a slip: nothing happens
    page.wait_for_selector("#confirm-delete", state="hidden")
    assert (ui["sources"] / "lao_cai_tuyen_giao_dan_van.txt").exists()
    page.click("#delete")
    page.wait_for_selector("#confirm-delete", state="visible")
    page.click("#delete-choice input")                               # another choice after the question …
    page.get_by_role("option", name="004_deced359ded4c1cd.txt").click()
    page.click("#confirm-delete")                                    # … deletes what the question named
    _wait_html(page, "#delete-result", "thùng rác")
    assert (ui["sources"] / "004_deced359ded4c1cd.txt").exists()
    assert not (ui["sources"] / "lao_cai_tuyen_giao_dan_van.txt").exists()
    assert (ui["index"] / "trash" / "lao_cai_tuyen_giao_dan_van.txt").exists()
    page.wait_for_function("() => !document.querySelector('#corpus').innerText.includes('lao_cai')")
    page.get_by_role("tab", name="Hỏi đáp").click()
    refused = ask(page, "Ai dự hội nghị ký kết ở Lào Cai?")
    assert "Không tìm thấy thông tin" in refused and ".txt" not in refused   # a refusal never lists the corpus

    page.get_by_role("tab", name="Bài viết").click()
    page.click("#trash input")
    page.get_by_role("option").filter(has_text="lao_cai_tuyen_giao_dan_van.txt").first.click()
    page.click("#restore")
    _wait_html(page, "#delete-result", "đã khôi phục")
    assert (ui["sources"] / "lao_cai_tuyen_giao_dan_van.txt").exists()
    _wait_html(page, "#corpus", "lao_cai_tuyen_giao_dan_van.txt")
    shot(page, "corpus-after-restore")


def test_briefing_shown_and_downloadable_and_its_files_are_not_left_behind(page, tmp_path, ui):
    import docx

    page.get_by_role("tab", name="Tóm tắt").click()
    page.click("#brief-programs input")
    page.get_by_role("option", name="huyện Phú Bình, Thái Nguyên — 003_a972841ddb3fa63a.txt").click()
    page.click("#make-brief")
    _wait_html(page, "#brief", "TÓM TẮT")
    brief = page.inner_text("#brief")
    assert "23/06/2022" in brief and "Nguyễn Thị Loan" in brief and "2022 - 2026" in brief
    shot(page, "briefing")
    md = download(page, "#download-md", tmp_path / "brief.md")
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Ghi chú chuẩn bị họp") and "23/06/2022" in text and "## Nguồn" in text
    path = download(page, "#download-docx", tmp_path / "brief.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Ghi chú chuẩn bị họp" in paragraphs and any("Nguyễn Thị Loan" in p for p in paragraphs)
    assert not [p for p in ui["tmp"].iterdir() if p.name.startswith("briefing-")]   # all under one folder


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


def test_a_raw_upload_call_naming_a_server_side_path_copies_nothing(ui):
    """The upload endpoint takes files the browser sent, never a path on the server."""
    before = sorted(p.name for p in ui["sources"].iterdir())
    secret = TEST_ARTICLES / "binh_dinh_nfd.txt"
    body = json.dumps({"data": [[{"path": str(secret), "meta": {"_type": "gradio.FileData"}}]]}).encode()
    request = urllib.request.Request(ui["url"] + "gradio_api/call/upload", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            event = json.loads(response.read())["event_id"]
        with urllib.request.urlopen(f"{ui['url']}gradio_api/call/upload/{event}", timeout=60) as response:
            stream = response.read().decode()
        assert "event: error" in stream
    except urllib.error.HTTPError as refused:
        assert refused.code in (400, 403, 404, 422)
    assert sorted(p.name for p in ui["sources"].iterdir()) == before


ENGLISH = ["Drop File Here", "Click to Upload", "Use via API", "Built with Gradio", "Retry", "Like", "Dislike",
           "Clear", "Copy", "Undo", "Loading", "Submit", "Download"]


def test_everything_the_user_sees_is_vietnamese(page):
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    for tab in ("Hỏi đáp", "Bài viết", "Tóm tắt"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        words = page.inner_text("body")
        labels = page.locator("button[aria-label], [title]").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null)"
            ".map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('title') || ''))")
        for english in ENGLISH:
            assert english not in words.splitlines(), (tab, english)
            assert not [label for label in labels if english in label.split()], (tab, english, labels)
    big = Path(tempfile.mkdtemp()) / "qua_lon.txt"
    big.write_bytes(b"a" * (21 * 1024 * 1024))
    page.get_by_role("tab", name="Bài viết").click()
    page.set_input_files("#upload input[type=file]", str(big))
    page.wait_for_function("() => document.body.innerText.includes('Tệp lớn hơn giới hạn')")
    assert "exceed" not in page.inner_text("body")


def _contrast(page, selector: str) -> float:
    """WCAG contrast ratio of an element's text against the nearest background behind it."""
    return page.locator(selector).first.evaluate("""el => {
        const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
        const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92
                                                        : Math.pow((c + 0.055) / 1.055, 2.4); };
                                     return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
        let bg = null;
        for (let n = el; n && !bg; n = n.parentElement) {
            const c = rgb(getComputedStyle(n).backgroundColor);
            if (c.length < 4 || c[3] > 0.5) bg = c;
        }
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg || [255, 255, 255])];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_desktop_screens_are_readable_in_both_schemes(browser, ui, scheme):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(ui["url"])
    page.wait_for_selector("#question textarea")
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    page.locator("#chat details.source summary").last.click()
    for selector in ("#chat .answer", "#chat .passage", "#chat .passage mark", "#chat details.source summary"):
        assert _contrast(page, selector) >= 4.5, (scheme, selector)
    page.get_by_role("tab", name="Bài viết").click()
    page.wait_for_selector("#corpus")
    family = page.locator("#corpus td").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" not in family.lower()
    box = page.locator("#corpus").bounding_box()
    assert box and box["x"] + box["width"] <= 1400                  # every column on screen
    page.get_by_role("tab", name="Hỏi đáp").click()
    shot(page, f"desktop-{scheme}")
    context.close()


def test_phone_shows_the_question_box_first_and_folds_the_filters(browser, ui):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(ui["url"])
    page.wait_for_selector("#question textarea")
    box = page.locator("#question textarea").bounding_box()
    assert box and box["y"] + box["height"] <= 844                  # visible without scrolling
    assert not page.locator("#filter-place").is_visible()            # filters folded away
    for tab in ("Hỏi đáp", "Bài viết", "Tóm tắt"):                  # no tab hidden behind "…"
        assert page.get_by_role("tab", name=tab).is_visible()
    ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    assert page.locator("#question textarea").bounding_box()["y"] <= 844
    shot(page, "phone")
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
    hostile = client.predict("Ai dự lễ ký kết ở Quảng Bình?\u202e\x07\u2066", api_name="/ask")
    assert not any(c in hostile["question"] for c in "\u202e\x07\u2066") and not hostile["refused"]


def test_stop_ends_a_slow_answer_and_keeps_nothing_of_it(browser, tmp_path):
    """With a slow model (an LLM endpoint on loopback streaming a long reply), Dừng ends the answer at
    once, Gửi comes back, and the stopped answer is not kept in the conversation."""
    from fake_openai import FakeOpenAI

    with FakeOpenAI() as llm:
        llm.reply = lambda messages: "Theo bài viết [1], hội nghị có nhiều đại biểu tham dự. " * 40
        llm.pause = 0.25
        server = RunningUI(SOURCES, tmp_path / "index", tmp_path,
                           env={"ASSISTANT_LLM_BASE_URL": llm.base_url, "ASSISTANT_LLM_MODEL": "cham"})
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(server.url)
            page.wait_for_selector("#question textarea")
            page.fill("#question textarea", "Ai dự lễ ký kết ở Quảng Bình?")
            page.click("#send")
            page.wait_for_function("() => (document.querySelector('#chat .streaming')?.innerText || '')"
                                   ".includes('đại biểu')")
            page.click("#stop")
            page.wait_for_selector("#send", state="visible", timeout=5_000)
            shown = page.inner_text("#chat")
            page.wait_for_timeout(1500)
            assert page.inner_text("#chat") == shown                   # nothing more arrives
            page.reload()
            page.wait_for_selector("#question textarea")
            page.wait_for_timeout(1000)
            assert page.locator("#chat .answer-block, #chat .question").count() == 0   # not kept
        finally:
            context.close()
            server.stop()


def test_the_login_form_is_vietnamese_and_lets_staff_in(browser, tmp_path):
    server = RunningUI(SOURCES, tmp_path / "index", tmp_path,
                       env={"ASSISTANT_UI_USER": "canbo", "ASSISTANT_UI_PASSWORD": "mat-khau-dai-123"})
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(server.url)
        page.wait_for_selector("input[type=password]")
        assert "Tên đăng nhập" in page.inner_text("body") and "Mật khẩu" in page.inner_text("body")
        page.fill("input[name=username]", "canbo")
        page.fill("input[type=password]", "sai")
        page.click("button[type=submit]")
        page.wait_for_function("() => document.body.innerText.includes('Sai tên đăng nhập hoặc mật khẩu')")
        page.fill("input[type=password]", "mat-khau-dai-123")
        page.click("button[type=submit]")
        page.wait_for_selector("#question textarea")
        assert "Lê Văn Bảo" in ask(page, "Ai dự lễ ký kết ở Quảng Bình?")
    finally:
        context.close()
        server.stop()


def test_nothing_is_left_behind_when_the_server_stops(ui):
    """Last in this module: uploads, briefings and exports made above leave no file once the server stops."""
    ui["server"].stop()
    # onnxruntime keeps one 51-byte session id (`.ses`) in the temporary folder, reused by every process
    left = [p for p in ui["tmp"].rglob("*") if p.is_file() and p.name != ".ses"]
    assert not left, left[:5]
    assert not list(ui["tmp"].glob("assistant-ui-*"))
