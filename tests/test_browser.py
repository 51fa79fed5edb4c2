"""jixiao serve in a real browser: headless Chromium (Debian's package, driven by
Selenium through chromedriver) against `jixiao serve` on a local port.

Writes screenshots of the search, document, road and report pages to
docs/screenshots/ (README, "Web view"). .ci/run installs chromium and
chromium-driver where they are missing; outside CI the tests skip without them.
"""
from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from webstore import ROOT, SCRIPT, build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "docs" / "screenshots"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--window-size=1100,820")

if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
    if os.environ.get("CI"):
        raise RuntimeError("chromium and chromium-driver are missing: .ci/run installs them")
    pytest.skip("no chromium/chromedriver here (apt-get install chromium chromium-driver)", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(db):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/-/versions.json", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode())
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _shot(browser, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def test_search_then_open_the_figure_in_its_document(server, browser, db):
    browser.get(server + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("危桥")
    box.submit()
    WebDriverWait(browser, 20).until(lambda b: "q=" in b.current_url)
    assert int(browser.find_element(By.ID, "total").text) > 0
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit.fact .sentence mark.entity")
    assert marks and all("危桥" in m.find_element(By.XPATH, "./..").text for m in marks[:5])
    _shot(browser, "search")
    link = browser.find_element(By.CSS_SELECTOR, ".hit.fact a.doc-link")
    href = link.get_attribute("href")
    document_id = int(href.split("/doc/")[1].split("#")[0])
    start, end = (int(x) for x in href.split("#")[1].split("-"))
    link.click()
    # the click starts a navigation; wait for the document page to have its target
    target = WebDriverWait(browser, 20).until(
        lambda b: "/doc/" in b.current_url and b.execute_script("return document.querySelector(':target')"))
    assert target.get_attribute("id") == f"{start}-{end}"
    assert target.tag_name == "mark" and "entity" in target.get_attribute("class")
    with sqlite3.connect(db) as conn:
        source = conn.execute("SELECT source FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
    label = target.find_element(By.CSS_SELECTOR, ".entity-label").text
    assert target.text.removesuffix(label).strip() == source[start:end]
    assert target.get_attribute("title")  # the value, on hover
    _shot(browser, "document")


def test_road_page_shows_the_chart(server, browser):
    browser.get(server + "/road/G569")
    svg = browser.find_element(By.CSS_SELECTOR, ".chart svg")
    assert svg.size["width"] > 100 and svg.size["height"] > 100
    assert browser.find_elements(By.CSS_SELECTOR, ".chart svg path, .chart svg rect")
    assert "12.53 亿元" in browser.find_element(By.TAG_NAME, "body").text
    _shot(browser, "road")


def test_report_page(server, browser, db):
    with sqlite3.connect(db) as conn:
        report_id = conn.execute("SELECT reports.id FROM reports JOIN documents ON documents.id = document_id"
                                 " WHERE doc = 'table.txt'").fetchone()[0]
    browser.get(f"{server}/report/{report_id}")
    missed = browser.find_elements(By.CSS_SELECTOR, "table.indicators tr.missed")
    assert missed and "县乡道提档升级改造里程" in missed[0].text
    assert browser.find_elements(By.CSS_SELECTOR, ".finding mark.entity")
    _shot(browser, "report")


def test_script_in_a_document_renders_as_text(server, browser, db):
    with sqlite3.connect(db) as conn:
        document_id = conn.execute("SELECT id FROM documents WHERE doc = 'hostile.txt'").fetchone()[0]
    browser.get(f"{server}/doc/{document_id}")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert SCRIPT in browser.find_element(By.ID, "text").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#text script, #text img")
    browser.get(server + "/?q=" + "危桥改造完成投资120万元")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert SCRIPT in browser.find_element(By.CSS_SELECTOR, ".results").text
