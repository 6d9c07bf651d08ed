#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the main screens for the README, from a running `make run`.

    PORT=8069 python3 scripts/screenshots.py [output folder, default docs/screenshots]

Needs headless Chromium with its driver (Debian: chromium, chromium-driver) and
selenium (pip). Logs in as the demo users that `make run` prints. The picture of the
annual report PDF needs poppler-utils (pdftotext, pdftoppm) and Pillow; wkhtmltopdf
fetches the report's stylesheets from the system parameter `report.url` (else
`web.base.url`), which must point at this PORT.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

BASE = f"http://localhost:{os.environ.get('PORT', '8069')}"
DATABASE = os.environ.get("VP_DEMO_DB", "vp_demo")
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")

ACTION = "/odoo/action-vertrouwenspersoon."
# (file name, login, path or name of a window action of the addon, css selector to wait for)
SHOTS = [
    (
        "counsellor-dashboard.png",
        "vp-intern",
        "vp_case_dashboard_action_client",
        ".o_vp_dashboard_card",
    ),
    ("counsellor-cases.png", "vp-intern", "vp_case_action", ".o_list_view, .o_kanban_view"),
    ("counsellor-vault.png", "vp-intern", "/vertrouwenspersoon/vault", "form"),
    ("counsellor-time.png", "vp-intern", "vp_time_entry_action", ".o_view_controller"),
    ("employee-portal-booking.png", "medewerker", "/my/vertrouwenspersoon", "main"),
    # the slot picker of the first demo counsellor: free times week by week
    ("employee-slot-picker.png", "medewerker", "/my/vertrouwenspersoon/book/1", "#vp_slots"),
    (
        "director-annual-reports.png",
        "directeur",
        "vp_annual_report_action_director",
        ".o_view_controller",
    ),
    ("hr-manager-sees-nothing.png", "hr-manager", "/odoo", ".o_home_menu, .o_main_navbar"),
]


def browser():
    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        "--lang=nl-NL",
    ):
        options.add_argument(arg)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    service = webdriver.ChromeService(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def login(driver, user):
    driver.get(f"{BASE}/web/login")
    WebDriverWait(driver, 20).until(ec.element_to_be_clickable((By.NAME, "login")))
    driver.find_element(By.NAME, "login").send_keys(user)
    driver.find_element(By.NAME, "password").send_keys(user)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    time.sleep(2)


@contextlib.contextmanager
def logged_in(user):
    """A fresh browser (no session carried over) logged in as ``user``, closed after."""
    driver = browser()
    try:
        login(driver, user)
        yield driver
    finally:
        driver.quit()


def open_page(driver, path, by, value, timeout=20):
    """Open ``path`` (or the addon's window action of that name) and wait for the element
    ``(by, value)``; returns it."""
    driver.get(BASE + (path if path.startswith("/") else ACTION + path))
    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((by, value)))


def report_pdf_pages(name="director-annual-report-pdf.png"):
    """The cover and the key-figures page of the published annual report, side by side,
    as the director downloads it."""
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        print(f"{name}: pdftotext/pdftoppm (poppler-utils) not installed", file=sys.stderr)
        return
    session = requests.Session()
    session.post(
        f"{BASE}/web/session/authenticate",
        json={"params": {"db": DATABASE, "login": "directeur", "password": "directeur"}},
        timeout=60,
    ).raise_for_status()
    found = session.post(
        f"{BASE}/web/dataset/call_kw/vp.annual.report/search_read",
        json={
            "params": {
                "model": "vp.annual.report",
                "method": "search_read",
                "args": [[("state", "=", "published")], ["id"]],
                "kwargs": {"limit": 1, "order": "year desc"},
            }
        },
        timeout=60,
    ).json()["result"]
    pdf = session.get(
        f"{BASE}/report/pdf/vertrouwenspersoon.vp_annual_report_pdf/{found[0]['id']}", timeout=300
    ).content
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "report.pdf")
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
        pages = text.split("\f")
        figures = next(i for i, page in enumerate(pages, 1) if "Leeswijzer" in page)
        images = []
        for number in (1, figures):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number)]
                + ["-singlefile", str(path), str(Path(tmp, f"p{number}"))],
                check=True,
            )
            images.append(Image.open(Path(tmp, f"p{number}.png")).convert("RGB"))
        width, height = images[0].size
        sheet = Image.new("RGB", (width * 2 + 30, height + 20), "#d9d9d9")
        for index, image in enumerate(images):
            sheet.paste(image, (10 + index * (width + 10), 10))
        sheet.save(OUT / name)
    print(OUT / name)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    report_pdf_pages()
    for name, user, path, selector in SHOTS:
        with logged_in(user) as driver:
            try:
                open_page(driver, path, By.CSS_SELECTOR, selector)
            except TimeoutException:  # a missing element still gives a useful picture
                print(f"{name}: {selector} did not appear", file=sys.stderr)
            time.sleep(2)
            driver.save_screenshot(str(OUT / name))
            print(OUT / name)


if __name__ == "__main__":
    main()
