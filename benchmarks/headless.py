"""Headless Chromium driven through the DevTools protocol over a pipe (no network port, no
client library): open a page, run script in it, wait for a condition, and record every request
the page made, every console error and every download. Used by the browser tests and by
``make bench``; every host but 127.0.0.1 is unreachable."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


class BrowserError(RuntimeError):
    """Chromium refused a command, or a condition was not met in time."""


class Chromium:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900,
                 mobile: bool = False, downloads: Path | None = None) -> None:
        if CHROMIUM is None:
            raise BrowserError("chromium is not installed: run `make chromium`")
        to_chrome, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome = os.pipe()

        def wire() -> None:  # Chromium reads commands on fd 3 and answers on fd 4
            read_end, write_end = os.dup(to_chrome), os.dup(from_chrome)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"], preexec_fn=wire, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._last_id = 0
        self._pending: list[dict[str, Any]] = []
        self.requests: list[str] = []
        self.console: list[str] = []
        self.downloads: list[dict[str, Any]] = []
        self._names: dict[str, str] = {}
        self._download_folder = downloads or Path(profile)
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target,
                                                           "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable", session=True)
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=True)
        if downloads is not None:
            self.send("Browser.setDownloadBehavior", {
                "behavior": "allowAndName", "downloadPath": str(downloads), "eventsEnabled": True})

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)
        os.close(self._to_chrome)
        os.close(self._from_chrome)

    # ---- the protocol
    def _receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_chrome], [], [], max(left, 0))
            if not ready:
                raise BrowserError(f"Chromium did not answer within {timeout} s")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the connection")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _note(self, message: dict[str, Any]) -> None:
        """Record what the tests look at: requests, console errors, downloads."""
        method, params = message.get("method", ""), message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning",
                                                                          "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            self.console.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.console.append("exception: " + details.get("exception", {}).get(
                "description", details.get("text", "")))
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            entry = params["entry"]
            where = f" ({entry['url']})" if entry.get("url") else ""
            self.console.append(f"log.{entry['level']}: {entry['text']}{where}")
        elif method == "Browser.downloadWillBegin":
            self._names[params["guid"]] = params["suggestedFilename"]
        elif method == "Browser.downloadProgress" and params["state"] == "completed":
            self.downloads.append({"name": self._names.get(params["guid"], ""),
                                   "path": self._download_folder / params["guid"]})
        self._pending.append(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = False,
             timeout: float = 60) -> dict[str, Any]:
        """Send one command and return its result (events met meanwhile are recorded)."""
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive(timeout)
            if answer.get("id") == self._last_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._note(answer)

    def wait_event(self, method: str, timeout: float = 60) -> dict[str, Any]:
        """The next event ``method`` (one already received counts)."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self._pending:
                if message.get("method") == method:
                    self._pending.remove(message)
                    return message.get("params", {})
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no {method} within {timeout} s")
            self._note(self._receive(left))

    # ---- the page
    def open(self, url: str, timeout: float = 60) -> None:
        """Navigate to ``url`` and wait for its load event."""
        self._pending.clear()
        self.send("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired", timeout)

    def evaluate(self, expression: str, timeout: float = 60) -> Any:
        """The value of a script expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, session=True,
                           timeout=timeout)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30) -> Any:
        """Evaluate ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"{expression} still false after {timeout} s")
            time.sleep(0.05)

    def download(self, click: str, timeout: float = 30) -> dict[str, Any]:
        """Run ``click`` (a script that starts a download) and wait until it is saved; the
        download's suggested file ``name`` and the ``path`` it was saved to."""
        before = len(self.downloads)
        self.evaluate(click)
        deadline = time.monotonic() + timeout
        while len(self.downloads) == before:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no download completed within {timeout} s")
            self._note(self._receive(left))
        return self.downloads[-1]
