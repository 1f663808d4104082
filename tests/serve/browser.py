"""A headless Chromium (Debian's, driven by its own chromedriver) that reads a served terminal.

textual-serve draws with xterm.js on a canvas, so the text is not in the page's DOM, and the
page keeps its ``Terminal`` in a local variable. Before any page script runs, a small script
traps the first assignment of a ``terminal`` property whose value looks like an xterm.js
``Terminal`` (textual.js does ``this.terminal = new Terminal(…)``) and keeps it in
``window.__smstuiTerminal``; the screen is then read through xterm.js's public buffer API.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = (
    "Debian's chromium and chromium-driver are not installed ({missing}); "
    "python3 dev.py test installs them when run as root, or: apt-get install chromium "
    "chromium-driver"
)

CATCH_TERMINAL = """
(() => {
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (value && value.buffer && value.buffer.active && !window.__smstuiTerminal) {
        window.__smstuiTerminal = value;
      }
    },
  });
})();
"""

READ_SCREEN = """
const terminal = window.__smstuiTerminal;
if (!terminal) { return null; }
const buffer = terminal.buffer.active;
const lines = [];
for (let y = 0; y < terminal.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  lines.push(line ? line.translateToString(true) : "");
}
return lines.join("\\n");
"""

T = TypeVar("T")


def missing_browser() -> str | None:
    """Why the browser cannot run here, or None when Chromium and its driver are installed."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    return MISSING.format(missing=", ".join(missing)) if missing else None


def wait_for(
    condition: Callable[[], T | None], what: str, timeout: float = 20.0, every: float = 0.1
) -> T:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


class Browser:
    """One headless Chromium window; nothing is downloaded and no outside host is contacted."""

    def __init__(self, profile: Path, size: tuple[int, int] = (1400, 900)) -> None:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            # The page asks fonts.googleapis.com for a font: answer "no such host" at once.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}",
        ):
            options.add_argument(argument)
        # An explicit driver path: Selenium Manager is never asked to find (download) one.
        service = Service(executable_path=str(CHROMEDRIVER), log_output=os.devnull)
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL}
        )
        self.opened: list[str] = []

    def open(self, url: str) -> None:
        """Load the page (or reload it when ``url`` is the current one)."""
        self.driver.get(url)

    def screen(self) -> str:
        """The terminal's visible text, one line per row ("" before it exists)."""
        text = self.driver.execute_script(READ_SCREEN)
        return text if isinstance(text, str) else ""

    def wait_for_text(self, text: str, timeout: float = 30.0) -> str:
        """Wait until ``text`` is on the screen; returns the screen (shown on a timeout)."""
        try:
            return wait_for(
                lambda: self.screen() if text in self.screen() else None,
                f"{text!r} on the served screen",
                timeout,
            )
        except AssertionError as error:
            raise AssertionError(f"{error}; the screen:\n{self.screen()}") from None

    def press(self, *keys: str) -> None:
        """Type into the terminal, as a user would (xterm.js's hidden textarea has the focus)."""
        textarea = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        textarea.send_keys(*keys)

    def wait_for_new_tab(self, timeout: float = 20.0) -> str:
        """Wait for the page to open a second tab; close it and return the URL it loaded."""
        page = self.driver.current_window_handle
        wait_for(lambda: len(self.driver.window_handles) > 1, "a new browser tab", timeout)
        tab = next(handle for handle in self.driver.window_handles if handle != page)
        self.driver.switch_to.window(tab)
        url = wait_for(
            lambda: self.driver.current_url if self.driver.current_url != "about:blank" else None,
            "the new tab to load",
            timeout,
        )
        self.driver.close()
        self.driver.switch_to.window(page)
        return url

    def close(self) -> None:
        """Quit Chromium and its driver."""
        self.driver.quit()


def profile_dir(tmp_path: Path) -> Path:
    """A fresh Chromium profile for one test."""
    profile = tmp_path / "chromium-profile"
    shutil.rmtree(profile, ignore_errors=True)
    profile.mkdir()
    return profile
