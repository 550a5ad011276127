#!/usr/bin/env python3
"""Browser tests of the console on a clinic laptop: `hms-sync serve` (CONTRACT.md §9.7, issue 11).

Real processes only: the built hms-server (with a second hms-server process on the same
database, the "other laptop's" way in), a patient's replica signed in with the real hms-sync,
`hms-sync serve` on it, and headless Chromium opening the address serve printed. Then:
1. the central server is stopped: the console says offline, and a booking made in it shows
   "Waiting to sync";
2. the server comes back: the booking syncs by itself, the console says so, and after
   "Show the latest" the pending mark is gone (and the server has the booking);
3. offline again, the patient books a time that a second laptop (hms-sync on another patient's
   replica) books and syncs first; when the server is back the refusal appears in the sync bar
   with its reason in words and the free times instead.
Screenshots of the offline, pending, synced and rejected states go to
test-artifacts/screenshots/serve-*.png (beside browser-tests.py's, which it reuses).

Usage: scripts/serve-browser-tests.py [--server .build/debug/hms-server] [--sync .build/debug/hms-sync]
"""

import argparse
import importlib.util
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("browser_tests", os.path.join(ROOT, "scripts", "browser-tests.py"))
bt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bt)

SYNC_WAIT = 30  # seconds a sync the console shows may take (serve's interval is 2 s)


class Central(bt.Server):
    """The real hms-server, which can be stopped and started again on its port and database."""

    def pause(self):
        self.process.terminate()
        self.process.wait(20)

    def resume(self):
        self.process = subprocess.Popen(
            self.process.args, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder,
            env={**os.environ, "HMS_JWT_SECRET": bt.JWT_SECRET})
        bt.wait_for(lambda: self.healthy(), "hms-server to answer again", 20)

    def healthy(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                return True
        except OSError:
            return False


class Laptop:
    """A replica signed in with the real hms-sync (HOME in a temporary folder)."""

    def __init__(self, binary, server, email, password):
        self.binary = binary
        self.home = tempfile.mkdtemp(prefix="hms-laptop-")
        self.replica = os.path.join(self.home, "replica.sqlite")
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("HMS_REPLICA", "HMS_REPLICA_KEY", "XDG_DATA_HOME")}
        self.env.update(HOME=self.home, HMS_SYNC_TIMEOUT="2")
        self.serving = None
        self.run("login", "--server", server.base, "--email", email, stdin=password + "\n")
        self.run("sync")

    def run(self, *arguments, stdin=None):
        """`hms-sync ARGUMENTS --json --replica R`, its JSON answer (fails on a non-zero exit)."""
        done = subprocess.run([self.binary, *arguments, "--json", "--replica", self.replica], input=stdin,
                              capture_output=True, text=True, env=self.env, timeout=60)
        if done.returncode != 0:
            raise AssertionError(f"hms-sync {' '.join(arguments)} exited {done.returncode}: {done.stdout} {done.stderr}")
        return json.loads(done.stdout) if done.stdout.strip() else None

    def serve(self, console, interval=2):
        """Starts `hms-sync serve` and answers the one address line it prints."""
        with bt.socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.log = open(os.path.join(self.home, "serve.log"), "wb")
        self.serving = subprocess.Popen(
            [self.binary, "serve", "--port", str(port), "--interval", str(interval), "--console-dir", console,
             "--replica", self.replica], stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        ready, _, _ = select.select([self.serving.stdout], [], [], 30)
        if not ready:
            raise AssertionError("hms-sync serve printed no address within 30 s")
        url = self.serving.stdout.readline().decode().strip()
        if not url.startswith(f"http://127.0.0.1:{port}/app/?token="):
            raise AssertionError(f"hms-sync serve printed {url!r}")
        return url

    def stop(self):
        if self.serving and self.serving.poll() is None:
            self.serving.terminate()
            try:
                self.serving.wait(20)
            except subprocess.TimeoutExpired:
                self.serving.kill()
        shutil.rmtree(self.home, ignore_errors=True)


def bar(browser, words, timeout=SYNC_WAIT):
    """The sync bar, once it says these words."""
    return browser.visible("hms-sync-bar", words, timeout)


def book(browser, practice, time_words):
    """Books the doctor's slot at `time_words` on the practice's day, in the Book view."""
    bt.choose_doctor(browser, practice.doctor_name)
    bt.set_date(browser, browser.field("Day"), practice.day.isoformat())
    browser.visible("button[data-slot]", time_words).click()
    browser.visible("[role=status].success", "Booked")


def test_offline_booking(browser, central, practice, laptop, other):
    """1. The server is stopped: offline, and a booking shows "Waiting to sync"."""
    browser.visible("h1", "Book")
    bar(browser, "Online")
    if browser.driver.find_elements(bt.By.CSS_SELECTOR, "nav a[href='#/penalties']"):
        raise AssertionError("the penalties view needs the clinic's server, yet it is in the menu on a laptop")
    bar(browser, "Not on this laptop: Your penalties")
    bt.expect_clean(browser, "the console on serve")
    central.pause()
    browser.press("Sync now")
    bar(browser, "Offline")
    browser.screenshot("serve-offline")
    book(browser, practice, "09:00")
    browser.visible("li[data-appointment]", "Waiting to sync")
    bar(browser, "Waiting to sync: 1")
    pending = [a for a in laptop.run("appointments") if a["pending"]]
    if len(pending) != 1 or not pending[0]["start"].startswith(f"{practice.day}T09:00"):
        raise AssertionError(f"the replica should hold one pending booking at 09:00: {pending}")
    browser.screenshot("serve-pending")
    bt.expect_clean(browser, "booking offline", [(503, "/v1/local/sync")])


def test_synced(browser, central, practice, laptop, other):
    """2. The server is back: the booking syncs, and the pending mark goes."""
    central.resume()
    bar(browser, "Waiting to sync: 0")
    bar(browser, "Online")
    browser.visible("hms-sync-bar", "A sync changed the appointments")
    browser.press("Show the latest")
    item = browser.visible("li[data-appointment]", "09:00")
    bt.wait_for(lambda: "Waiting to sync" not in browser.visible("li[data-appointment]", "09:00").text,
                "the pending mark to go")
    mine = central.expect(200, "GET", "/v1/appointments", token=practice.patient_token)["items"]
    if [a["start"][:16] for a in mine] != [f"{practice.day}T09:00"]:
        raise AssertionError(f"the server should have the booking at 09:00: {mine}")
    del item
    browser.screenshot("serve-synced")
    bt.expect_clean(browser, "after the sync")


def test_rejected(browser, central, practice, laptop, other):
    """3. A second laptop books the same time first: the refusal appears with its reason."""
    central.pause()
    browser.press("Sync now")
    bar(browser, "Offline")
    book(browser, practice, "10:00")
    bar(browser, "Waiting to sync: 1")
    # the other laptop reaches the clinic through the second server process, and is first
    other.run("book", "--doctor", practice.doctor_id, "--start", f"{practice.day}T10:00:00Z")
    if other.run("sync")["applied"] != 1:
        raise AssertionError("the second laptop's booking was not applied")
    central.resume()
    refused = bar(browser, "Not accepted by the clinic: 1")
    text = refused.text
    if "That time was just taken by someone else" not in text or "Free instead" not in text or "10:30" not in text:
        raise AssertionError(f"the refusal should give its reason and the free times: {text!r}")
    bar(browser, "Waiting to sync: 0")
    browser.visible("hms-sync-bar", "A sync changed the appointments")
    bt.wait_for(lambda: "can't be reached" not in bar(browser, "Online").text,
                "the sync bar to stop saying that the server can't be reached")
    browser.press("Show the latest")
    browser.visible("li[data-appointment]", "09:00")
    bt.wait_for(lambda: not any("10:00" in item.text for item in
                                browser.driver.find_elements(bt.By.CSS_SELECTOR, "li[data-appointment]")),
                "the refused booking to leave the list")
    rejections = laptop.run("rejections")
    if [r["code"] for r in rejections] != ["SLOT_TAKEN"]:
        raise AssertionError(f"the replica should hold one SLOT_TAKEN rejection: {rejections}")
    browser.screenshot("serve-rejected")
    bt.expect_clean(browser, "the rejection", [(503, "/v1/local/sync")])


TESTS = [test_offline_booking, test_synced, test_rejected]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.path.join(ROOT, ".build/debug/hms-server"))
    parser.add_argument("--sync", default=os.path.join(ROOT, ".build/debug/hms-sync"))
    parser.add_argument("--console", default=os.path.join(ROOT, "Console"))
    parser.add_argument("--screenshots", default=os.path.join(ROOT, "test-artifacts/screenshots"))
    parser.add_argument("--timeout", type=int, default=300, help="seconds the whole run may take")
    arguments = parser.parse_args()
    for name in ("server", "sync", "console", "screenshots"):
        setattr(arguments, name, os.path.abspath(getattr(arguments, name)))

    def out_of_time(*_):
        raise TimeoutError(f"the serve browser tests took more than {arguments.timeout} s")
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(arguments.timeout)

    started = time.monotonic()
    os.makedirs(arguments.screenshots, exist_ok=True)
    passed = failed = 0
    central = second = browser = laptop = other = None
    try:
        central = Central(arguments.server, arguments.console)
        practice = bt.Practice(central)
        second = bt.Server(arguments.server, arguments.console, share=central)
        laptop = Laptop(arguments.sync, central, practice.patient_email, practice.patient_password)
        other = Laptop(arguments.sync, second, practice.other_email, "other-pass-12")
        url = laptop.serve(arguments.console)
        browser = bt.Browser(url.split("/app/")[0], arguments.screenshots)
        browser.driver.get(url)
        for test in TESTS:
            if not bt.run_one(test, browser, arguments.screenshots, central, practice, laptop, other):
                failed += 1
                break  # each test starts where the one before left off
            passed += 1
    except Exception as error:
        failed += 1
        print(f"FAIL setup or run: {error}", flush=True)
        traceback.print_exc()
    finally:
        signal.alarm(0)
        if browser:
            browser.quit()
        for process in (laptop, other, second, central):
            if process:
                process.stop()
    print(f"serve browser tests took {time.monotonic() - started:.1f} s; screenshots in {arguments.screenshots}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
