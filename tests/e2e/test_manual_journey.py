"""使用手册 in a browser: a visitor opens it from the login page, every picture loads, the table of contents
jumps to a section, and the page prints to a PDF (under `make manual` that PDF is the one the manual offers)."""

import os
import shutil

from playwright.sync_api import expect

from iodp.manual.content import PDF_PATH, SECTIONS

from .conftest import SCREENSHOTS


def test_a_visitor_reads_and_prints_the_manual(page):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_role("link", name="使用手册").click()
    expect(page.get_by_test_id("manual-toc").locator("li")).to_have_count(len(SECTIONS))
    images = page.locator(".manual-figure img")
    assert images.count() > 20
    for index in range(images.count()):  # lazy images load once scrolled to
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function("""() => [...document.querySelectorAll('.manual-figure img')]
        .every((img) => img.complete && img.naturalWidth > 0)""")

    page.get_by_test_id("manual-toc").get_by_role("link", name="Excel 模板、导入与导出").click()
    expect(page).to_have_url(page.base_url + "/manual/#excel")
    expect(page.locator("#excel h2")).to_be_in_viewport()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "manual.pdf"
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="打印 / 另存为 PDF")).to_be_hidden()
    page.pdf(path=str(pdf), format="A4", print_background=True,
             margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") > len(SECTIONS)
    if os.environ.get("IODP_MANUAL_BUILD"):
        shutil.copyfile(pdf, PDF_PATH)
