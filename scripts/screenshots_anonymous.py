#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the anonymous channel for docs/anonymous.md, from a running `make run`.

    PORT=8069 python3 scripts/screenshots_anonymous.py [output folder, default docs/screenshots]

An employee writes anonymously (the page, the receipt), then the internal demo counsellor
unlocks the vault and opens the conversation. Same requirements as scripts/screenshots.py.
"""

import sys
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import ACTION, BASE, logged_in, open_page

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
MESSAGE = (
    "Goedemiddag,\n\nIk wil graag iets vragen over hoe er in ons team met elkaar wordt "
    "omgegaan. Ik weet niet of dit iets is voor een vertrouwenspersoon. Mag ik eerst "
    "anoniem vertellen wat er speelt?"
)
PASSPHRASE = "Marieke demo kluis De Linde"


def writer(out):
    with logged_in("medewerker") as driver:
        open_page(driver, "/vertrouwenspersoon/anoniem", By.NAME, "body").send_keys(MESSAGE)
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(1)
        driver.save_screenshot(str(out / "anonymous-write.png"))
        driver.find_element(By.CSS_SELECTOR, "#vp-write button[type=submit]").click()
        WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.ID, "vp-receipt-code")))
        driver.save_screenshot(str(out / "anonymous-receipt.png"))


def counsellor(out):
    with logged_in("vp-intern") as driver:
        open_page(driver, "/vertrouwenspersoon/vault", By.NAME, "passphrase").send_keys(PASSPHRASE)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        time.sleep(3)
        confirm = driver.find_elements(By.NAME, "confirmed")  # the review at first unlock
        if confirm:
            driver.find_element(By.NAME, "passphrase").send_keys(PASSPHRASE)
            confirm[0].click()
            driver.find_element(By.CSS_SELECTOR, "#vp-review button[type=submit]").click()
            time.sleep(3)
        driver.get(f"{BASE}{ACTION}vp_conversation_action")
        WebDriverWait(driver, 20).until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, ".o_data_row"))
        ).click()
        WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.NAME, "reply")))
        time.sleep(2)
        driver.save_screenshot(str(out / "counsellor-anonymous.png"))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    writer(OUT)
    counsellor(OUT)
    for name in ("anonymous-write.png", "anonymous-receipt.png", "counsellor-anonymous.png"):
        print(OUT / name)


if __name__ == "__main__":
    main()
