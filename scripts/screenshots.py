#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the main screens for the README, from a running `make run`.

    PORT=8069 python3 scripts/screenshots.py [output folder, default docs/screenshots]

Needs headless Chromium with its driver (Debian: chromium, chromium-driver) and
selenium (pip). Logs in as the demo users that `make run` prints.
"""

import os
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

BASE = f"http://localhost:{os.environ.get('PORT', '8069')}"
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")

# (file name, login, path, css selector to wait for)
SHOTS = [
    (
        "counsellor-cases.png",
        "vp-intern",
        "/odoo/action-vertrouwenspersoon.vp_case_action",
        ".o_list_view, .o_kanban_view",
    ),
    ("counsellor-vault.png", "vp-intern", "/vertrouwenspersoon/vault", "form"),
    (
        "counsellor-time.png",
        "vp-intern",
        "/odoo/action-vertrouwenspersoon.vp_time_entry_action",
        ".o_view_controller",
    ),
    ("employee-portal-booking.png", "medewerker", "/my/vertrouwenspersoon", "main"),
    (
        "director-annual-reports.png",
        "directeur",
        "/odoo/action-vertrouwenspersoon.vp_annual_report_action_director",
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


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, user, path, selector in SHOTS:
        driver = browser()  # a fresh browser per shot: no session carried over
        try:
            login(driver, user)
            driver.get(BASE + path)
            try:
                WebDriverWait(driver, 20).until(
                    ec.presence_of_element_located((By.CSS_SELECTOR, selector))
                )
            except TimeoutException:  # a missing element still gives a useful picture
                print(f"{name}: {selector} did not appear", file=sys.stderr)
            time.sleep(2)
            driver.save_screenshot(str(OUT / name))
            print(OUT / name)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
