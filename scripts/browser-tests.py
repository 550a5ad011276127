#!/usr/bin/env python3
"""Browser tests of the web console (CONTRACT.md §9.7, issue 10).

Starts the built hms-server on a free 127.0.0.1 port with a temporary database and the
repository's Console/ (--console-dir), prepares a doctor with a free window and two patients
through the API, then drives headless Chromium (chromium-driver + selenium) through the console
the way a person does, finding fields by their label and buttons by their words:
- page load (size and time to interactive from the performance API), wrong password, 429 at login;
- admin: adds a doctor, reads the dashboard, blacklists, disables, filters appointments, opens
  the detail drawer, runs the no-show sweep, filters the audit log;
- patient: books, meets a taken slot (SLOT_TAKEN, with its alternatives when the server sends
  them), cancels, sees history and penalties;
- doctor: opens and deletes availability windows (HAS_BOOKINGS), is told TOO_EARLY, then
  completes the visit after its start on a second server process over the same database whose
  clock runs two days ahead (HMS_CLOCK_OFFSET), where the patient is told TOO_LATE;
- the clinic's time zone (HMS_CLINIC_TZ=America/New_York on another process, the browser in
  UTC): times shown and typed in the clinic's zone; the weekly schedule form (§9.3);
- token expiry mid-session (HMS_ACCESS_TTL=3 on a third process): refreshed silently;
- 401 (refresh and retry; a dead session back to the login), 429 on a view (HMS_RATE_LIMIT=5 on
  a fourth process), the role guard, keyboard focus, logout.
Every test also fails on a failed network request or a console error (except the refusals it
provokes), and every view is checked for accessibility (labels, accessible names, one h1 and no
skipped heading level, landmarks, unique ids, rendered contrast, a Tab walk with a visible focus
on every stop) and for overflowing a 360 px screen.
Screenshots of each view at 1280 and 360 px go to test-artifacts/screenshots/ (git-ignored).
Bounded: the whole run stops after --timeout seconds. Prints `N passed, N failed` last.

Usage: scripts/browser-tests.py [--server .build/debug/hms-server] [--timeout 300] [-k NAME]
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
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAIT = 10  # seconds any one element may take to appear
ASSET_BUDGET = 100 * 1024  # JS + CSS, uncompressed (CONTRACT.md §9.7)
WIDTHS = (1280, 360)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hms_server_process import ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, Server  # noqa: E402,F401  (the real hms-server, shared with fhir-tests.py)


class Practice:
    """A doctor with tomorrow's 09:00-12:00 (UTC, the clinic's zone) free, and two patients."""

    def __init__(self, server):
        self.admin_token = admin = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        stamp = str(time.time_ns())
        self.doctor_email, self.doctor_password = f"grey{stamp}@clinic.test", "doctor-pass-1"
        self.doctor_name = "Dr Meredith Grey"
        self.doctor_id = server.expect(201, "POST", "/v1/admin/doctors", {
            "name": self.doctor_name, "email": self.doctor_email, "password": self.doctor_password,
            "specialty": "cardiology"}, admin)["id"]
        self.doctor_token = server.login(self.doctor_email, self.doctor_password)
        self.day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).date()
        server.expect(201, "POST", "/v1/doctors/me/availability", {
            "start": f"{self.day}T09:00:00Z", "end": f"{self.day}T12:00:00Z", "slotMinutes": 30}, self.doctor_token)
        self.patient_email, self.patient_password = f"pat{stamp}@example.test", "patient-pass-1"
        server.expect(201, "POST", "/v1/auth/register", {
            "name": "Pat Lee", "email": self.patient_email, "password": self.patient_password})
        self.patient_token = server.login(self.patient_email, self.patient_password)
        self.other_email = f"sam{stamp}@example.test"
        self.other_id = server.expect(201, "POST", "/v1/auth/register", {
            "name": "Sam Other", "email": self.other_email, "password": "other-pass-12"})["id"]
        self.other_token = server.login(self.other_email, "other-pass-12")


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
        self.base = self.home = base
        self.shots = shots

    def fresh(self, base=None):
        """The console's first page (of `base`, default the first server) with no session kept
        from an earlier test, logs emptied."""
        self.base = base or self.home
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
        """Checks the view's accessibility, then pictures it at each width (and checks that it
        does not overflow a 360 px screen sideways)."""
        os.makedirs(self.shots, exist_ok=True)
        accessibility(self, view)
        for width in WIDTHS:
            self.driver.set_window_size(width, 900)
            time.sleep(0.2)  # let the layout settle at the new width
            height, overflow = self.driver.execute_script(
                "const d = document.documentElement; return [d.scrollHeight, d.scrollWidth - d.clientWidth];")
            if overflow > 1:
                raise AssertionError(f"{view} at {width} px is {overflow} px wider than the screen")
            self.driver.set_window_size(width, max(600, min(int(height) + 100, 4000)))
            self.driver.execute_script("window.scrollTo(0, 0)")
            self.driver.save_screenshot(os.path.join(self.shots, f"{view}-{width}.png"))
        self.driver.set_window_size(1280, 900)

    def dark(self, view):
        """The view in the dark theme (prefers-color-scheme: dark): checked and pictured too."""
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        time.sleep(0.3)  # let the buttons' colour transitions end
        try:
            self.screenshot(f"{view}-dark")
        finally:
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})

    def go(self, words):
        """Follows the navigation link with these words, and waits for its heading."""
        self.visible("nav a", words).click()
        self.visible("h1", words.split()[0])

    def field(self, label, within="body"):
        """The control a visible <label> with these words (exactly, ignoring case) is for."""
        def find(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, f"{within} label"):
                try:
                    if element.is_displayed() and element.text.strip().lower() == label.lower():
                        return driver.find_element(By.ID, element.get_attribute("for"))
                except Exception:
                    pass
            return False
        try:
            return WebDriverWait(self.driver, WAIT).until(find)
        except TimeoutException:
            raise AssertionError(f"no field labelled {label!r}")

    def fill(self, label, value, within="body"):
        element = self.field(label, within)
        if element.tag_name == "select":  # its options may still be on their way
            wait_for(lambda: self.driver.execute_script(
                "return [...arguments[0].options].some(o => o.value === arguments[1])", element, value),
                f"the choice {value!r} in {label!r}")
        if element.get_attribute("type") in ("date", "time") or element.tag_name == "select":
            self.driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)
        else:
            element.clear()
            element.send_keys(value)
        return element

    def press(self, words, within="body"):
        """Clicks the visible button whose words (or accessible name) start with these."""
        def find(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, f"{within} button"):
                try:
                    name = (element.get_attribute("aria-label") or element.text).strip().lower()
                    if element.is_displayed() and element.is_enabled() and (
                            name.startswith(words.lower()) or element.text.strip().lower() == words.lower()):
                        return element
                except Exception:
                    pass
            return False
        try:
            WebDriverWait(self.driver, WAIT).until(find).click()
        except TimeoutException:
            raise AssertionError(f"no button {words!r}")

    def requests(self):
        """(status, url) of every response since the last look, and the console errors."""
        answers, errors = [], []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.responseReceived":
                response = message["params"]["response"]
                answers.append((response["status"], response["url"]))
            elif message["method"] == "Network.loadingFailed" and not message["params"].get("canceled"):
                errors.append(f"request failed: {message['params'].get('errorText')}")
        errors += [f"console: {entry['message']}" for entry in self.driver.get_log("browser")
                   if entry["level"] in ("SEVERE", "ERROR")]
        return answers, errors

    def quit(self):
        self.driver.quit()


A11Y_SCRIPT = """
const problems = [];
const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
const text = (e) => (e.textContent || '').replace(/\\s+/g, ' ').trim();
const scope = document.querySelector('dialog[open]') || document;
const label = (e) => (e.getAttribute('aria-label') || '').trim() ||
  (e.getAttribute('aria-labelledby') || '').split(' ').map((id) => text(document.getElementById(id) || document.createElement('i'))).join(' ').trim() ||
  [...(e.labels || [])].map(text).join(' ').trim();
for (const e of scope.querySelectorAll('input:not([type=hidden]), select, textarea')) {
  if (shown(e) && !label(e)) problems.push(`a ${e.tagName.toLowerCase()} (${e.name || e.id}) has no label`);
}
for (const e of scope.querySelectorAll('button, a[href], [role=button], summary')) {
  if (shown(e) && !(label(e) || text(e))) problems.push(`a ${e.tagName.toLowerCase()} has no accessible name`);
}
for (const e of scope.querySelectorAll('svg[role=img], img')) {
  if (shown(e) && !(label(e) || e.getAttribute('alt'))) problems.push('an image has no text alternative');
}
for (const e of scope.querySelectorAll('table')) {
  if (shown(e) && !e.querySelector('caption')) problems.push('a table has no caption');
}
for (const e of document.querySelectorAll('dialog[open], section[aria-labelledby], form[aria-labelledby], nav, [role=region]')) {
  if (shown(e) && !label(e)) problems.push(`a ${e.tagName.toLowerCase()} landmark has no name`);
}
const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(shown);
const h1s = headings.filter((e) => e.tagName === 'H1').length;
if (h1s !== 1) problems.push(`${h1s} visible h1 headings, not one`);
let level = 0;
for (const e of headings) {
  const next = Number(e.tagName[1]);
  if (next > level + 1) problems.push(`heading "${text(e)}" skips from h${level} to h${next}`);
  level = next;
}
if (document.querySelectorAll('main').length !== 1) problems.push('not exactly one main landmark');
if (!document.querySelector('header')) problems.push('no banner (header) landmark');
const ids = new Map();
for (const e of document.querySelectorAll('[id]')) ids.set(e.id, (ids.get(e.id) || 0) + 1);
for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" is used ${n} times`);
for (const e of document.querySelectorAll('[aria-labelledby], [aria-describedby], label[for]')) {
  for (const id of ((e.getAttribute('aria-labelledby') || '') + ' ' + (e.getAttribute('aria-describedby') || '') + ' ' +
      (e.getAttribute('for') || '')).split(' ').filter(Boolean)) {
    if (!document.getElementById(id)) problems.push(`a reference to missing id "${id}"`);
  }
}
// Contrast as rendered: text colour against the first opaque background behind it (AA: 4.5, large 3).
const rgb = (v) => (v.match(/[\\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
  .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
const walker = document.createTreeWalker(scope === document ? document.body : scope, NodeFilter.SHOW_TEXT);
const seen = new Set();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const e = node.parentElement;
  if (!e || seen.has(e) || !node.textContent.trim() || !shown(e) || e.closest('svg, .skip-link, option')) continue;
  seen.add(e);
  const style = getComputedStyle(e);
  let back = e, bg = null;
  while (back) {
    const c = rgb(getComputedStyle(back).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c; break; }
    back = back.parentElement;
  }
  const fg = rgb(style.color), b = bg || [255, 255, 255];
  const [hi, lo] = [lum(fg), lum(b)].sort((x, y) => y - x);
  const ratio = (hi + 0.05) / (lo + 0.05);
  const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) problems.push(`"${text(e).slice(0, 30)}" has contrast ${ratio.toFixed(2)}:1`);
}
return problems;
"""


FOCUS_WALK = 40  # Tab presses per view


def accessibility(browser, view):
    """The automated accessibility check of the view on screen (see docs/console.md), and a
    keyboard walk: Tab through the view; every control reached must be on screen and show a
    visible focus outline."""
    problems = browser.driver.execute_script(A11Y_SCRIPT)
    browser.driver.execute_script("""
        window.hmsFocusWalk = [];
        const seen = new WeakSet();  // each control's first visit: the walk may wrap around
        window.hmsFocusListener = (event) => {
          const e = event.target, s = getComputedStyle(e);
          if (seen.has(e)) return;
          seen.add(e);
          window.hmsFocusWalk.push([e.tagName.toLowerCase() + ' ' + (e.getAttribute('aria-label') || e.textContent || e.name || '').trim().slice(0, 30),
            s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, e.getClientRects().length > 0]);
        };
        document.addEventListener('focusin', window.hmsFocusListener);""")
    chain = ActionChains(browser.driver)
    for _ in range(FOCUS_WALK):
        chain.send_keys(Keys.TAB)
    chain.perform()
    walk = browser.driver.execute_script("""
        document.removeEventListener('focusin', window.hmsFocusListener);
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        return window.hmsFocusWalk;""")
    if not walk:
        problems.append("Tab reaches nothing")
    for name, outline, shown in walk:
        if not outline:
            problems.append(f"{name!r} shows no focus outline")
        if not shown:
            problems.append(f"Tab reaches {name!r}, which is not on screen")
    if problems:
        raise AssertionError(f"accessibility of {view}: " + "; ".join(sorted(set(problems))))


def expect_clean(browser, when, allowed=()):
    """No failed request and no console error since the last look, except the refusals the test
    provokes: `allowed` holds (status, part of the URL) pairs."""
    answers, errors = browser.requests()
    def expected(status, url):
        return any(status == want and part in url for want, part in allowed)
    found = [f"request: {status} {url}" for status, url in answers if status >= 400 and not expected(status, url)]
    for error in errors:
        # Chromium logs every 4xx as a console error naming the URL and the status: the ones the
        # test provoked are allowed, anything else fails.
        if not any(f"status of {status}" in error and part in error for status, part in allowed):
            found.append(error)
    if found:
        raise AssertionError(f"{when}: " + "; ".join(found))
    return answers


def wait_for(condition, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def set_date(browser, element, value):
    browser.driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)


FIGURES = {}


def test_page_load(browser, server, practice):
    """The login page loads with no failed request, no console error, JS+CSS within budget; its
    size and time to interactive come from the performance API (navigation timing)."""
    browser.fresh()
    form = browser.visible("form")
    form.find_element(By.CSS_SELECTOR, "input[type=email]")
    form.find_element(By.CSS_SELECTOR, "input[type=password]")
    figures = browser.driver.execute_script("""
        const nav = performance.getEntriesByType('navigation')[0];
        const files = performance.getEntriesByType('resource').concat([nav]);
        const mark = performance.getEntriesByName('hms-interactive')[0];
        return {
          assets: files.filter(e => /\\.(m?js|css)(\\?|$)/.test(e.name)).map(e => [e.name, e.decodedBodySize]),
          total: files.reduce((s, e) => s + e.decodedBodySize, 0),
          transferred: files.reduce((s, e) => s + e.transferSize, 0),
          requests: files.length,
          ttfb: nav.responseStart, domInteractive: nav.domInteractive,
          domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          interactive: mark ? mark.startTime : null};""")
    total = sum(size for _, size in figures["assets"])
    if total > ASSET_BUDGET:
        raise AssertionError(f"JS+CSS is {total} bytes, over {ASSET_BUDGET}")
    if not figures["assets"]:
        raise AssertionError("the page loaded no script or style")
    if figures["interactive"] is None:
        raise AssertionError("the console never marked itself interactive")
    FIGURES["login"] = figures
    print(f"     first load: {figures['requests']} requests, {figures['total']} bytes "
          f"({total} of JS+CSS), {figures['transferred']} transferred; DOM interactive "
          f"{figures['domInteractive']:.0f} ms, DOMContentLoaded {figures['domContentLoaded']:.0f} ms, "
          f"load {figures['load']:.0f} ms, sign-in form usable (time to interactive) {figures['interactive']:.0f} ms",
          flush=True)
    expect_clean(browser, "page load")
    browser.screenshot("login")


def test_keyboard(browser, server, practice):
    """The sign-in form starts focused on the email; Tab goes to the password and Sign in,
    Shift+Tab from the email back to the skip link; each focused control shows an outline."""
    browser.fresh()
    browser.visible("form")
    wait_for(lambda: browser.driver.switch_to.active_element.get_attribute("type") == "email", "focus on the email")
    seen = []

    def look():
        element = browser.driver.switch_to.active_element
        outline = browser.driver.execute_script(
            "const s = getComputedStyle(arguments[0]); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;",
            element)
        seen.append((element.get_attribute("type") or element.text.strip(), outline))
    look()
    for keys in ([Keys.TAB], [Keys.TAB], [Keys.SHIFT, Keys.TAB], [Keys.SHIFT, Keys.TAB], [Keys.SHIFT, Keys.TAB]):
        chain = ActionChains(browser.driver)
        if len(keys) == 2:
            chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain.send_keys(Keys.TAB)
        chain.perform()
        look()
    names = [name for name, _ in seen]
    if names != ["email", "password", "submit", "password", "email", "Skip to content"]:
        raise AssertionError(f"focus order is {names}")
    if not all(outline for _, outline in seen[1:]):  # the first is the page's own focus, not a key's
        raise AssertionError(f"a focused control shows no outline: {seen}")
    expect_clean(browser, "keyboard")


def test_wrong_password(browser, server, practice):
    """A wrong password shows an error beside the form, in plain words."""
    browser.fresh()
    browser.sign_in(ADMIN_EMAIL, "not-the-password")
    error = browser.visible("form [role=alert]")
    WebDriverWait(browser.driver, WAIT).until(lambda _: error.text.strip())
    if "INVALID" in error.text or "{" in error.text:
        raise AssertionError(f"the error is not in plain words: {error.text!r}")
    browser.visible("input[type=password]")
    expect_clean(browser, "wrong password", [(401, "/v1/auth/login")])
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
    expect_clean(browser, "429 at login", [(401, "/v1/auth/login"), (429, "/v1/auth/login")])
    browser.screenshot("login-slow-down")


def test_admin(browser, server, practice):
    """The admin lands on the dashboard ("No-shows"), adds a doctor, blacklists and unblacklists
    them, disables and enables a patient, filters appointments and opens one in the drawer,
    reads penalties and the audit log, runs the no-show sweep; every view pictured."""
    browser.fresh()
    started = time.monotonic()
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    browser.visible("h1, h2, h3", "No-shows")
    browser.visible("h3", "No-shows per doctor")
    print(f"     admin dashboard shown {1000 * (time.monotonic() - started):.0f} ms after Enter", flush=True)
    browser.visible("h3", "Load per doctor")
    expect_clean(browser, "admin sign-in")
    browser.screenshot("admin-dashboard")

    browser.go("Doctors")
    name = f"Dr Test {time.time_ns() % 100000}"
    email = f"new{time.time_ns()}@clinic.test"
    browser.fill("Full name", name)
    browser.fill("Email", email)
    browser.fill("Password", "new-doctor-pass")
    browser.fill("Specialty", "dermatology")
    browser.press("Add doctor")
    browser.visible("[role=status].success", f"Added {name}")
    browser.visible("td", name)
    doctors = server.expect(200, "GET", "/v1/doctors?specialty=dermatology", token=practice.admin_token)["items"]
    if not any(d["name"] == name for d in doctors):
        raise AssertionError(f"the server has no doctor {name!r}: {doctors}")
    browser.press(f"Blacklist {name}")
    browser.visible("[role=status]", "blacklisted")
    browser.visible("button", "Unblacklist")
    browser.press(f"Unblacklist {name}")
    browser.visible("[role=status]", "taking bookings again")
    expect_clean(browser, "admin doctors")
    browser.screenshot("admin-doctors")

    browser.go("Users")
    browser.fill("Name or email", "Sam Other")
    browser.press("Search")
    browser.visible("td", practice.other_email)
    browser.press("Disable Sam Other")
    browser.visible("[role=status]", "disabled")
    if server.call("POST", "/v1/auth/login", {"email": practice.other_email, "password": "other-pass-12"})[0] != 403:
        raise AssertionError("a disabled patient could still sign in")
    browser.press("Enable Sam Other")
    browser.visible("[role=status]", "enabled again")
    practice.other_token = server.login(practice.other_email, "other-pass-12")
    expect_clean(browser, "admin users")
    browser.screenshot("admin-users")

    server.expect(201, "POST", "/v1/appointments",
                  {"doctorId": practice.doctor_id, "start": f"{practice.day}T11:00:00Z"}, practice.other_token)
    browser.go("Appointments")
    browser.fill("Status", "BOOKED")
    browser.fill("Doctor", practice.doctor_id)
    browser.press("Apply filters")
    browser.visible("td", "Sam Other")
    expect_clean(browser, "admin appointments")
    browser.screenshot("admin-appointments")
    browser.press("Details of Sam Other")
    drawer = browser.visible("dialog[open]")
    browser.visible("dialog[open] dd", "Sam Other")
    browser.screenshot("admin-appointment-drawer")
    browser.dark("admin-appointment-drawer")
    drawer.send_keys(Keys.ESCAPE)
    wait_for(lambda: not browser.driver.find_elements(By.CSS_SELECTOR, "dialog[open]"), "the drawer to close")

    browser.go("Penalties")
    browser.visible("p.empty, table", None)
    expect_clean(browser, "admin penalties")
    browser.screenshot("admin-penalties")

    browser.go("Audit log")
    browser.fill("Who acted", practice.other_id)
    browser.press("Apply filters")
    browser.visible("td", "Sam Other")
    expect_clean(browser, "admin audit")
    browser.screenshot("admin-audit")

    browser.go("Dashboard")
    browser.press("Run the no-show sweep now")
    browser.visible("[role=status].success", "Sweep done")
    expect_clean(browser, "no-show sweep")


def test_patient(browser, server, practice):
    """A patient books a free slot; a slot taken meanwhile is refused in words (with the
    server's alternatives as buttons when it sends them); they cancel, and see history and penalties."""
    browser.fresh()
    browser.sign_in(practice.patient_email, practice.patient_password)
    browser.visible("h1", "Book")
    expect_clean(browser, "patient sign-in")
    browser.screenshot("patient-book")
    browser.fill("Specialty", "cardiology")
    browser.visible("#book-doctor option", practice.doctor_name)
    choose_doctor(browser, practice.doctor_name)
    set_date(browser, browser.field("Day"), practice.day.isoformat())
    slot = browser.visible("button[data-slot]", "09:00")
    if "book" not in slot.text.lower():
        raise AssertionError(f"a free slot's button does not say Book: {slot.text!r}")
    browser.fill("Reason for the visit (optional)", "check-up")
    browser.screenshot("patient-slots")
    slot.click()
    browser.visible("[role=status].success", "Booked")
    mine = server.expect(200, "GET", "/v1/appointments", token=practice.patient_token)["items"]
    if len(mine) != 1 or not mine[0]["start"].startswith(f"{practice.day}T09:00") or mine[0]["reason"] != "check-up":
        raise AssertionError(f"expected one booking at 09:00 on {practice.day}, the server has {mine}")
    browser.visible("li[data-appointment]", "09:00")
    expect_clean(browser, "booking")
    browser.screenshot("patient-booked")

    # Someone else takes 10:00 while the list still shows it free.
    server.expect(201, "POST", "/v1/appointments",
                  {"doctorId": practice.doctor_id, "start": f"{practice.day}T10:00:00Z"}, practice.other_token)
    browser.visible("button[data-slot]", "10:00").click()
    alert = browser.visible("[role=alert]", "taken")
    alternatives = alert.find_elements(By.CSS_SELECTOR, "button[data-slot]")
    browser.screenshot("patient-slot-taken")
    browser.dark("patient-slot-taken")
    expect_clean(browser, "slot taken", [(409, "/v1/appointments")])
    alternative = None
    if alternatives:  # CONTRACT.md §9.2: the free slots from 10:00 on, the first being 10:30
        alternative = alternatives[0].get_attribute("data-slot")
        if not alternative.startswith(f"{practice.day}T10:30"):
            raise AssertionError(f"the first alternative is {alternative}, not 10:30")
        alternatives[0].click()
        browser.visible("[role=status].success", "Booked")
        expect_clean(browser, "booking an alternative")

    browser.go("Your appointments")
    browser.visible("li[data-appointment]", "09:00")
    browser.screenshot("patient-history")
    day = day_words(browser, practice.day)
    browser.press(f"Cancel: Dr Meredith Grey (cardiology), {day}, 09:00")
    browser.visible("dialog[open] h2", "Cancel this appointment")
    browser.fill("Reason (optional)", "feeling better", "dialog[open]")
    browser.screenshot("patient-cancel")
    browser.press("Cancel appointment", "dialog[open]")
    browser.visible("[role=status].success", "Cancelled")
    browser.visible("li[data-appointment] .status", "Cancelled")
    if alternative:  # back to one cancelled booking, as without alternatives
        browser.press(f"Cancel: Dr Meredith Grey (cardiology), {day}, 10:30")
        browser.press("Cancel appointment", "dialog[open]")
        browser.visible("[role=status].success", "10:30")
    mine = server.expect(200, "GET", "/v1/appointments", token=practice.patient_token)["items"]
    if any(a["status"] != "CANCELLED" for a in mine):
        raise AssertionError(f"not everything was cancelled: {mine}")
    expect_clean(browser, "cancel")

    browser.go("Your penalties")
    browser.visible("p.empty", "no penalties")
    expect_clean(browser, "penalties")
    browser.screenshot("patient-penalties")


def day_words(browser, day):
    """A day as the console writes it ("Wed 2 Dec 2026"), for the clinic in UTC."""
    return browser.driver.execute_script(
        "return new Intl.DateTimeFormat('en-GB', {timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short',"
        " year: 'numeric'}).format(new Date(arguments[0]))", f"{day}T12:00:00Z")


def choose_doctor(browser, name):
    """Picks the doctor by name, from a select or from a list of buttons/links."""
    def find(driver):
        for select in driver.find_elements(By.CSS_SELECTOR, "select"):
            for option in select.find_elements(By.TAG_NAME, "option"):
                if select.is_displayed() and name in option.text:
                    return option
        return False
    try:
        WebDriverWait(browser.driver, WAIT).until(find).click()
    except TimeoutException:
        raise AssertionError(f"no visible way to choose {name!r}")


def test_doctor(browser, server, practice):
    """The doctor opens a window in the availability editor and deletes another; deleting one with
    a booking is refused (HAS_BOOKINGS); completing before the start is refused (TOO_EARLY).
    Then, on a second server process over the same database whose clock runs two days ahead, the
    patient is told TOO_LATE when cancelling, and the doctor completes the visit."""
    browser.fresh()
    browser.sign_in(practice.doctor_email, practice.doctor_password)
    browser.visible("h1", "Today and the week")
    browser.visible("h2", "Today")
    expect_clean(browser, "doctor sign-in")
    browser.screenshot("doctor-schedule")

    browser.go("Availability")
    browser.fill("Day", practice.day.isoformat())
    browser.fill("From", "14:00")
    browser.fill("Until", "15:00")
    browser.press("Add window")
    browser.visible("[role=status].success", "Added")
    browser.fill("Day", practice.day.isoformat())
    browser.fill("From", "16:00")
    browser.fill("Until", "17:00")
    browser.press("Add window")
    browser.visible("td", "16:00")
    windows = server.expect(200, "GET", f"/v1/doctors/{practice.doctor_id}/availability?from={practice.day}",
                            token=practice.doctor_token)["items"]
    if not any(w["start"] == f"{practice.day}T14:00:00Z" and w["end"] == f"{practice.day}T15:00:00Z" for w in windows):
        raise AssertionError(f"no 14:00-15:00 window on the server: {windows}")
    day = day_words(browser, practice.day)
    browser.press(f"Delete {day}, 16:00")
    browser.visible("[role=status].success", "Deleted")
    expect_clean(browser, "availability")
    browser.screenshot("doctor-availability")
    browser.press(f"Delete {day}, 09:00")  # Pat's and Sam's bookings are in it
    browser.visible("[role=alert]", "booked appointments")
    expect_clean(browser, "has bookings", [(409, "/v1/doctors/me/availability/")])

    server.expect(201, "POST", "/v1/appointments",
                  {"doctorId": practice.doctor_id, "start": f"{practice.day}T14:00:00Z", "reason": "chest pain"},
                  practice.patient_token)
    browser.go("Today and the week")
    browser.press(f"Complete visit: Pat Lee, {day}, 14:00")
    browser.fill("Diagnosis", "angina", "dialog[open]")
    browser.fill("Treatment", "rest", "dialog[open]")
    browser.screenshot("doctor-complete")
    browser.press("Save and complete", "dialog[open]")
    browser.visible("dialog[open] [role=alert]", "hasn't started yet")
    expect_clean(browser, "too early", [(422, "/complete")])

    later = Server(ARGUMENTS.server, ARGUMENTS.console, share=server, env={"HMS_CLOCK_OFFSET": str(2 * 86400)})
    try:
        browser.fresh(later.base)
        browser.sign_in(practice.patient_email, practice.patient_password)
        browser.go("Your appointments")
        browser.press(f"Cancel: Dr Meredith Grey (cardiology), {day}, 14:00")
        browser.press("Cancel appointment", "dialog[open]")
        browser.visible("dialog[open] [role=alert]", "already started")
        expect_clean(browser, "too late", [(422, "/cancel")])
        browser.screenshot("patient-too-late")
        browser.driver.find_element(By.CSS_SELECTOR, "dialog[open]").send_keys(Keys.ESCAPE)
        browser.press("Sign out")

        browser.sign_in(practice.doctor_email, practice.doctor_password)
        browser.visible("h1", "Today and the week")
        browser.press(f"Complete visit: Pat Lee, {day}, 14:00")
        browser.fill("Diagnosis", "stable angina", "dialog[open]")
        browser.fill("Treatment", "rest and review in a week", "dialog[open]")
        browser.press("Save and complete", "dialog[open]")
        wait_for(lambda: not browser.driver.find_elements(By.CSS_SELECTOR, "dialog[open]"), "the dialog to close")
        done = [a for a in server.expect(200, "GET", "/v1/appointments", token=practice.patient_token)["items"]
                if a["start"] == f"{practice.day}T14:00:00Z"]
        if not done or done[0]["status"] != "COMPLETED" or done[0]["diagnosis"] != "stable angina":
            raise AssertionError(f"the visit was not completed: {done}")
        expect_clean(browser, "complete after start")

        # Two days on, Sam's two bookings are overdue: the admin's sweep marks them no-shows.
        browser.press("Sign out")
        browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
        browser.visible("h1", "Dashboard")
        browser.press("Run the no-show sweep now")
        result = browser.visible("[role=status].success", "Sweep done")
        if not result.text.startswith("Sweep done: 2 marked no-show"):
            raise AssertionError(f"the sweep says {result.text!r}")
        browser.visible("svg[role=img][aria-label^='No-shows per doctor']")
        browser.visible("svg[role=img][aria-label^='Penalties per patient']")
        expect_clean(browser, "sweep")
        browser.screenshot("admin-dashboard-charts")
        browser.dark("admin-dashboard-charts")
        browser.go("Penalties")
        browser.visible("td", "Sam Other")
        browser.screenshot("admin-penalties-rows")
    finally:
        later.stop()
        browser.fresh()


def test_clinic_time_zone(browser, server, practice):
    """On a server process whose clinic is in New York (the browser runs in UTC), times are shown
    in the clinic's zone, and a window typed in the clinic's hours is stored at the right instant;
    the weekly schedule form sends §9.3's shape (or says the server doesn't offer it yet)."""
    york = Server(ARGUMENTS.server, ARGUMENTS.console, share=server, env={"HMS_CLINIC_TZ": "America/New_York"})
    try:
        browser.fresh(york.base)
        browser.sign_in(practice.patient_email, practice.patient_password)
        browser.go("Your appointments")
        item = browser.visible("li[data-appointment]", "Completed")
        if "09:00–09:30" not in item.text:  # 14:00Z is 09:00 in New York in December
            raise AssertionError(f"the completed visit (14:00 UTC) is not shown in New York time: {item.text!r}")
        expect_clean(browser, "patient in New York")
        browser.press("Sign out")

        browser.sign_in(practice.doctor_email, practice.doctor_password)
        browser.go("Availability")
        browser.visible("p.hint", "America/New_York")
        later = practice.day + datetime.timedelta(days=1)
        browser.fill("Day", later.isoformat())
        browser.fill("From", "10:00")
        browser.fill("Until", "11:00")
        browser.press("Add window")
        browser.visible("[role=status].success", "10:00–11:00")
        windows = server.expect(200, "GET", f"/v1/doctors/{practice.doctor_id}/availability?from={later}",
                                token=practice.doctor_token)["items"]
        if not any(w["start"] == f"{later}T15:00:00Z" for w in windows):
            raise AssertionError(f"10:00 in New York was not stored as 15:00Z: {windows}")

        first = practice.day + datetime.timedelta(days=7)
        browser.fill("First day", first.isoformat())
        browser.fill("Last day", (first + datetime.timedelta(days=6)).isoformat())
        browser.press("Add schedule")
        outcome = browser.visible("form[aria-label='Add a weekly schedule'] .success, "
                                  "form[aria-label='Add a weekly schedule'] [role=alert]", None)
        WebDriverWait(browser.driver, WAIT).until(lambda _: outcome.text.strip() and "Working" not in outcome.text)
        if outcome.text.startswith("Added"):
            if not outcome.text.startswith("Added 5 windows"):
                raise AssertionError(f"a Monday-Friday week gave {outcome.text!r}")
            expect_clean(browser, "weekly schedule")
        elif "doesn't offer weekly schedules yet" in outcome.text:
            expect_clean(browser, "weekly schedule (not on this server)", [(404, "/v1/doctors/me/schedule"),
                                                                          (405, "/v1/doctors/me/schedule")])
        else:
            raise AssertionError(f"the weekly schedule says {outcome.text!r}")
        browser.screenshot("doctor-availability-new-york")
    finally:
        york.stop()
        browser.fresh()


def test_token_expiry(browser, server, practice):
    """On a server process whose access tokens live 3 s, a patient keeps working past the expiry:
    the console refreshes silently (rotating the refresh token) and no request is refused."""
    short = Server(ARGUMENTS.server, ARGUMENTS.console, share=server, env={"HMS_ACCESS_TTL": "3"})
    try:
        browser.fresh(short.base)
        browser.sign_in(practice.patient_email, practice.patient_password)
        browser.visible("h1", "Book")
        first = browser.driver.execute_script("return JSON.parse(sessionStorage.getItem('hms.session')).refreshToken")
        for view in ("Your appointments", "Your penalties", "Your appointments"):
            time.sleep(3.5)
            browser.go(view)
            browser.visible("li[data-appointment], p.empty", None)
        answers = expect_clean(browser, "token expiry")
        refreshes = [status for status, url in answers if url.endswith("/v1/auth/refresh")]
        if not refreshes or any(status != 200 for status in refreshes):
            raise AssertionError(f"expected silent refreshes, saw {refreshes}")
        last = browser.driver.execute_script("return JSON.parse(sessionStorage.getItem('hms.session')).refreshToken")
        if last == first:
            raise AssertionError("the refresh token did not rotate")
        browser.visible("button", "Sign out")
    finally:
        short.stop()
        browser.fresh()


def test_unauthenticated(browser, server, practice):
    """A refused access token (401) is refreshed and the request retried; when the refresh token
    is dead too, the session ends and the login says so."""
    browser.fresh()
    browser.sign_in(practice.patient_email, practice.patient_password)
    browser.visible("h1", "Book")
    expect_clean(browser, "sign-in")
    browser.driver.execute_script("""
        const s = JSON.parse(sessionStorage.getItem('hms.session'));
        s.accessToken = 'not-a-token'; sessionStorage.setItem('hms.session', JSON.stringify(s));""")
    browser.driver.refresh()
    browser.visible("h1", "Book")
    browser.visible("h2", "Your upcoming")
    time.sleep(0.5)
    answers = expect_clean(browser, "401 then refresh", [(401, "/v1/")])
    if not any(url.endswith("/v1/auth/refresh") and status == 200 for status, url in answers):
        raise AssertionError("a 401 did not lead to a refresh")
    browser.driver.execute_script("""
        const s = JSON.parse(sessionStorage.getItem('hms.session'));
        s.accessToken = 'not-a-token'; s.refreshToken = 'not-a-refresh-token';
        sessionStorage.setItem('hms.session', JSON.stringify(s));""")
    browser.driver.refresh()  # the page reads the spoilt pair from sessionStorage
    browser.visible("form [role=status]", "session has ended")
    browser.visible("input[type=password]")
    expect_clean(browser, "dead session", [(401, "/v1/")])
    browser.screenshot("login-session-ended")


def test_rate_limited_view(browser, server, practice):
    """On a server process that allows 5 requests a minute per group, a view that asks for more
    shows "slow down" with the Retry-After seconds, in words, instead of its data."""
    tight = Server(ARGUMENTS.server, ARGUMENTS.console, share=server, env={"HMS_RATE_LIMIT": "5"})
    try:
        browser.fresh(tight.base)
        browser.sign_in(practice.patient_email, practice.patient_password)
        browser.visible("h1", "Book")
        for view in ("Your appointments", "Your penalties", "Book", "Your appointments", "Your penalties"):
            browser.go(view)
            alerts = [a for a in browser.driver.find_elements(By.CSS_SELECTOR, "[role=alert]")
                      if "slow down" in a.text.lower()]
            if alerts:
                break
            time.sleep(0.3)
        alert = browser.visible("[role=alert]", "slow down")
        if not any(character.isdigit() for character in alert.text):
            raise AssertionError(f"no Retry-After seconds in {alert.text!r}")
        expect_clean(browser, "429 on a view", [(429, "/v1/")])
        browser.screenshot("patient-slow-down")
    finally:
        tight.stop()
        browser.fresh()


def test_role_guard(browser, server, practice):
    """A patient who opens an admin page gets a role message, and no admin request is made."""
    browser.fresh()
    browser.sign_in(practice.patient_email, practice.patient_password)
    browser.visible("h1", "Book")
    browser.driver.get(browser.base + "/app/#/users")
    browser.visible("h1", "Not for your role")
    browser.visible("[role=alert]", "another role")
    answers = expect_clean(browser, "role guard")
    if any("/v1/admin/" in url for _, url in answers):
        raise AssertionError("a patient's console asked an admin endpoint")
    browser.screenshot("role-guard")


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


TESTS = [test_page_load, test_keyboard, test_wrong_password, test_slow_down, test_admin, test_patient, test_doctor,
         test_clinic_time_zone, test_token_expiry, test_unauthenticated, test_rate_limited_view, test_role_guard, test_logout]
ARGUMENTS = argparse.Namespace()


def run_one(test, browser, screenshots, *context):
    """Runs one test; prints ok or FAIL (with a screenshot of the page it failed on) and answers
    whether it passed. A run over its time limit (TimeoutError) ends the whole run."""
    try:
        test(browser, *context)
        print(f"ok   {test.__name__}", flush=True)
        return True
    except TimeoutError:
        raise
    except Exception as error:
        print(f"FAIL {test.__name__}: {error}", flush=True)
        if not isinstance(error, AssertionError):
            traceback.print_exc()
        try:
            browser.driver.save_screenshot(os.path.join(screenshots, f"FAILED-{test.__name__}.png"))
        except Exception:
            pass
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.path.join(ROOT, ".build/debug/hms-server"))
    parser.add_argument("--console", default=os.path.join(ROOT, "Console"), help="the console folder to serve")
    parser.add_argument("--screenshots", default=os.path.join(ROOT, "test-artifacts/screenshots"))
    parser.add_argument("--timeout", type=int, default=300, help="seconds the whole run may take")
    parser.add_argument("-k", dest="only", help="run only the tests whose name contains this (later tests use "
                        "what earlier ones made: run test_admin and test_patient before test_doctor)")
    arguments = parser.parse_args(namespace=ARGUMENTS)
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
            if run_one(test, browser, arguments.screenshots, server, practice):
                passed += 1
            else:
                failed += 1
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
