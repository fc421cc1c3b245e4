"""Headless Debian Chromium driven by Selenium through Debian's chromedriver: no browser
or driver download at test time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ARTEFACTS = Path(os.environ.get("MINWON_TEST_ARTEFACTS", Path(__file__).resolve().parent.parent / "artifacts"))


@contextmanager
def chromium(tmp: Path, width: int = 1400, height: int = 1000,
             extra: tuple[str, ...] = ()) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("MINWON_CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--lang=ko-KR", f"--window-size={width},{height}", f"--user-data-dir={tmp}", *extra):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(os.environ.get("MINWON_CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(predicate: Callable[[], Any], seconds: float = 10, what: str = "condition") -> Any:
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the element may not exist yet
            last = exc
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached in {seconds} s (last error: {last!r})")


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / name
    driver.save_screenshot(str(path))
    return path
