#!/usr/bin/env python3
"""Browser tests of the web console (CONTRACT.md §9.7, issue 10).

Starts the built hms-server on a free 127.0.0.1 port with a temporary database and the
repository's Console/, prepares a doctor with a free window and a patient through the API,
then drives headless Chromium (chromium-driver + selenium) through the console:
page load, a wrong password, the admin's dashboard, a patient's booking, the doctor's list
and logout. Every test also fails on a failed network request or a console error.
Screenshots of each view at 1280 and 360 px go to test-artifacts/screenshots/ (git-ignored).
Bounded: the whole run stops after --timeout seconds. Prints `N passed, N failed` last.

Usage: scripts/browser-tests.py [--server .build/debug/hms-server] [--timeout 240]
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_EMAIL = "admin@hms.test"
ADMIN_PASSWORD = "admin-password-1"
WAIT = 10  # seconds any one element may take to appear
ASSET_BUDGET = 100 * 1024  # JS + CSS, uncompressed (CONTRACT.md §9.7)
WIDTHS = (1280, 360)


class Server:
    """The real hms-server on a free loopback port, with its own data folder and the console."""

    def __init__(self, binary, console):
        self.folder = tempfile.mkdtemp(prefix="hms-browser-")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.folder, "server.log"), "wb")
        self.process = subprocess.Popen(
            [binary, "--host", "127.0.0.1", "--port", str(self.port),
             "--database-url", os.path.join(self.folder, "hms.sqlite"),
             "--admin-email", ADMIN_EMAIL, "--admin-password", ADMIN_PASSWORD,
             "--bcrypt-cost", "4", "--no-show-interval", "0", "--console-dir", console],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hms-server exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("hms-server did not answer /healthz within 20 s")

    def call(self, method, path, body=None, token=None):
        """A JSON API call; returns (status, decoded body)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def expect(self, status, method, path, body=None, token=None):
        got, answer = self.call(method, path, body, token)
        if got != status:
            raise AssertionError(f"{method} {path}: expected {status}, got {got}: {answer}")
        return answer

    def login(self, email, password):
        return self.expect(200, "POST", "/v1/auth/login", {"email": email, "password": password})["accessToken"]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Practice:
    """A doctor with tomorrow's 09:00-12:00 (UTC, the clinic's zone) free, and a patient."""

    def __init__(self, server):
        admin = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        stamp = str(time.time_ns())
        self.doctor_email, self.doctor_password = f"grey{stamp}@clinic.test", "doctor-pass-1"
        self.doctor_name = "Dr Meredith Grey"
        server.expect(201, "POST", "/v1/admin/doctors", {
            "name": self.doctor_name, "email": self.doctor_email, "password": self.doctor_password,
            "specialty": "cardiology"}, admin)
        doctor = server.login(self.doctor_email, self.doctor_password)
        self.day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).date()
        server.expect(201, "POST", "/v1/doctors/me/availability", {
            "start": f"{self.day}T09:00:00Z", "end": f"{self.day}T12:00:00Z", "slotMinutes": 30}, doctor)
        self.patient_email, self.patient_password = f"pat{stamp}@example.test", "patient-pass-1"
        server.expect(201, "POST", "/v1/auth/register", {
            "name": "Pat Lee", "email": self.patient_email, "password": self.patient_password})
        self.patient_token = server.login(self.patient_email, self.patient_password)


class Browser:
    """Headless Chromium with its console and network logs kept."""

    def __init__(self, base, shots):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--disable-extensions", "--no-first-run"):
            options.add_argument(argument)
        if shutil.which("chromium"):
            options.binary_location = shutil.which("chromium")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.driver = webdriver.Chrome(service=Service(driver_path), options=options)
        self.driver.set_page_load_timeout(WAIT * 2)
        self.driver.set_script_timeout(WAIT)
        self.base = base
        self.shots = shots

    def fresh(self):
        """The console's first page with no session kept from an earlier test, logs emptied."""
        self.driver.get(self.base + "/app/")
        self.driver.execute_script("sessionStorage.clear(); localStorage.clear();")
        self.driver.delete_all_cookies()
        self.drain()
        self.driver.get(self.base + "/app/")

    def drain(self):
        self.driver.get_log("browser")
        self.driver.get_log("performance")

    def problems(self):
        """Console errors and failed requests since the last call."""
        found = [f"console: {entry['message']}" for entry in self.driver.get_log("browser")
                 if entry["level"] in ("SEVERE", "ERROR")]
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
                found.append(f"request: {params['response']['status']} {params['response']['url']}")
            elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
                found.append(f"request failed: {params.get('errorText')}")
        return found

    def visible(self, css, text=None, timeout=WAIT):
        """The first displayed element matching `css` (and containing `text`), waited for."""
        def find(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                try:
                    if element.is_displayed() and (text is None or text.lower() in element.text.lower()):
                        return element
                except Exception:  # the page re-rendered under us; look again
                    pass
            return False
        try:
            return WebDriverWait(self.driver, timeout).until(find)
        except TimeoutException:
            raise AssertionError(f"nothing visible matches {css!r}" + (f" with text {text!r}" if text else ""))

    def sign_in(self, email, password):
        form = self.visible("form")
        email_field = form.find_element(By.CSS_SELECTOR, "input[type=email]")
        password_field = form.find_element(By.CSS_SELECTOR, "input[type=password]")
        email_field.clear()
        email_field.send_keys(email)
        password_field.clear()
        password_field.send_keys(password, Keys.ENTER)  # Enter submits the form

    def screenshot(self, view):
        os.makedirs(self.shots, exist_ok=True)
        for width in WIDTHS:
            self.driver.set_window_size(width, 900)
            time.sleep(0.2)  # let the layout settle at the new width
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(width, max(600, min(int(height) + 100, 4000)))
            self.driver.save_screenshot(os.path.join(self.shots, f"{view}-{width}.png"))
        self.driver.set_window_size(1280, 900)

    def quit(self):
        self.driver.quit()


def expect_clean(browser, when):
    problems = browser.problems()
    if problems:
        raise AssertionError(f"{when}: " + "; ".join(problems))


def test_page_load(browser, server, practice):
    """The login page loads with no failed request, no console error, JS+CSS within budget."""
    browser.fresh()
    form = browser.visible("form")
    form.find_element(By.CSS_SELECTOR, "input[type=email]")
    form.find_element(By.CSS_SELECTOR, "input[type=password]")
    sizes = browser.driver.execute_script("""
        return performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
          .filter(e => /\\.(m?js|css)(\\?|$)/.test(e.name)).map(e => [e.name, e.decodedBodySize]);""")
    total = sum(size for _, size in sizes)
    if total > ASSET_BUDGET:
        raise AssertionError(f"JS+CSS is {total} bytes, over {ASSET_BUDGET}")
    if not sizes:
        raise AssertionError("the page loaded no script or style")
    expect_clean(browser, "page load")
    browser.screenshot("login")


def test_wrong_password(browser, server, practice):
    """A wrong password shows an error beside the form, in plain words."""
    browser.fresh()
    browser.sign_in(ADMIN_EMAIL, "not-the-password")
    error = browser.visible("form [role=alert]")
    WebDriverWait(browser.driver, WAIT).until(lambda _: error.text.strip())
    if "INVALID" in error.text or "{" in error.text:
        raise AssertionError(f"the error is not in plain words: {error.text!r}")
    browser.visible("input[type=password]")
    browser.problems()  # the 401 of the wrong password is expected here
    browser.screenshot("login-error")


def test_slow_down(browser, server, practice):
    """Too many wrong passwords for one account (429 RATE_LIMITED) say "slow down" and how long."""
    browser.fresh()
    email = f"nobody{time.time_ns()}@example.test"
    for attempt in range(8):
        browser.sign_in(email, f"wrong-password-{attempt}")
        error = browser.visible("form [role=alert]")
        WebDriverWait(browser.driver, WAIT).until(lambda _: error.text.strip())
        if "slow down" in error.text.lower():
            break
        browser.driver.execute_script("arguments[0].textContent = ''", error)
    else:
        raise AssertionError(f"no 'slow down' after 8 wrong passwords; the form says {error.text!r}")
    if not any(character.isdigit() for character in error.text):
        raise AssertionError(f"the 429 message gives no time to wait (Retry-After): {error.text!r}")
    browser.problems()  # the 401s and the 429 are expected here
    browser.screenshot("login-slow-down")


def test_admin_dashboard(browser, server, practice):
    """The admin signs in and lands on a dashboard with a visible "No-shows" heading."""
    browser.fresh()
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    browser.visible("h1, h2, h3", "No-shows")
    time.sleep(0.5)  # the metrics request may still be in flight
    expect_clean(browser, "admin sign-in")
    browser.screenshot("admin-dashboard")


def test_patient_books(browser, server, practice):
    """A patient signs in, finds the doctor, picks tomorrow, books a free slot and sees it."""
    browser.fresh()
    browser.sign_in(practice.patient_email, practice.patient_password)
    browser.visible("h1", "Book")
    expect_clean(browser, "patient sign-in")
    browser.screenshot("patient-book")
    choose_doctor(browser, practice.doctor_name)
    day = browser.visible("input[type=date]")
    browser.driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", day, practice.day.isoformat())
    slot = browser.visible("button[data-slot]", "09:00")
    if "book" not in slot.text.lower():
        raise AssertionError(f"a free slot's button does not say Book: {slot.text!r}")
    browser.screenshot("patient-slots")
    slot.click()
    confirm = [button for button in browser.driver.find_elements(By.CSS_SELECTOR, "dialog[open] button, [role=dialog] button")
               if button.is_displayed() and button.text.strip().lower() in ("book", "confirm", "book it")]
    if confirm:
        confirm[0].click()
    deadline = time.monotonic() + WAIT
    while True:
        appointments = server.expect(200, "GET", "/v1/appointments", token=practice.patient_token)["items"]
        if appointments or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if len(appointments) != 1 or not appointments[0]["start"].startswith(f"{practice.day}T09:00"):
        raise AssertionError(f"expected one booking at 09:00 on {practice.day}, the server has {appointments}")
    browser.visible("li[data-appointment]", "09:00")
    expect_clean(browser, "booking")
    browser.screenshot("patient-booked")


def choose_doctor(browser, name):
    """Picks the doctor by name, from a select or from a list of buttons/links."""
    def find(driver):
        for select in driver.find_elements(By.CSS_SELECTOR, "select"):
            for option in select.find_elements(By.TAG_NAME, "option"):
                if select.is_displayed() and name in option.text:
                    return option
        for element in driver.find_elements(By.CSS_SELECTOR, "button, a, [role=option], [role=radio], label"):
            if element.is_displayed() and name in element.text:
                return element
        return False
    try:
        WebDriverWait(browser.driver, WAIT).until(find).click()
    except TimeoutException:
        raise AssertionError(f"no visible way to choose {name!r}")


def test_doctor_list(browser, server, practice):
    """The doctor signs in and lands on their appointment list, with the patient's booking."""
    doctor_id = server.expect(200, "GET", "/v1/doctors", token=practice.patient_token)["items"][0]["id"]
    server.expect(201, "POST", "/v1/appointments",
                  {"doctorId": doctor_id, "start": f"{practice.day}T11:30:00Z"}, practice.patient_token)
    browser.fresh()
    browser.sign_in(practice.doctor_email, practice.doctor_password)
    browser.visible("h1, h2", "ppointments")
    browser.visible("li[data-appointment]", "11:30")
    expect_clean(browser, "doctor sign-in")
    browser.screenshot("doctor-appointments")


def test_logout(browser, server, practice):
    """Logout brings back the login form, and a reload does not sign in again."""
    browser.fresh()
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    browser.visible("h1, h2, h3", "No-shows")
    browser.visible("button, a", "Sign out").click()
    browser.visible("input[type=password]")
    browser.driver.refresh()
    browser.visible("input[type=password]")
    expect_clean(browser, "logout")


TESTS = [test_page_load, test_wrong_password, test_slow_down, test_admin_dashboard, test_patient_books, test_doctor_list, test_logout]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.path.join(ROOT, ".build/debug/hms-server"))
    parser.add_argument("--console", default=os.path.join(ROOT, "Console"), help="the console folder to serve")
    parser.add_argument("--screenshots", default=os.path.join(ROOT, "test-artifacts/screenshots"))
    parser.add_argument("--timeout", type=int, default=240, help="seconds the whole run may take")
    parser.add_argument("-k", dest="only", help="run only the tests whose name contains this")
    arguments = parser.parse_args()
    # the server runs in its own temporary folder: every path given here must hold from there
    for name in ("server", "console", "screenshots"):
        setattr(arguments, name, os.path.abspath(getattr(arguments, name)))

    def out_of_time(*_):
        raise TimeoutError(f"the browser tests took more than {arguments.timeout} s")
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(arguments.timeout)

    started = time.monotonic()
    os.makedirs(arguments.screenshots, exist_ok=True)
    for old in os.listdir(arguments.screenshots):  # this run's pictures only
        if old.endswith(".png"):
            os.remove(os.path.join(arguments.screenshots, old))
    passed = failed = 0
    server = browser = None
    try:
        server = Server(arguments.server, os.path.abspath(arguments.console))
        practice = Practice(server)
        browser = Browser(server.base, arguments.screenshots)
        for test in TESTS:
            if arguments.only and arguments.only not in test.__name__:
                continue
            try:
                test(browser, server, practice)
                passed += 1
                print(f"ok   {test.__name__}", flush=True)
            except TimeoutError:
                raise
            except Exception as error:
                failed += 1
                print(f"FAIL {test.__name__}: {error}", flush=True)
                if not isinstance(error, AssertionError):
                    traceback.print_exc()
                try:
                    browser.driver.save_screenshot(os.path.join(arguments.screenshots, f"FAILED-{test.__name__}.png"))
                except Exception:
                    pass
    except Exception as error:
        failed += 1
        print(f"FAIL setup or run: {error}", flush=True)
    finally:
        signal.alarm(0)
        if browser:
            browser.quit()
        if server:
            server.stop()
    print(f"browser tests took {time.monotonic() - started:.1f} s; screenshots in {arguments.screenshots}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
