"""The real hms-server as the Python test scripts start it (browser-tests.py, fhir-tests.py):
on a free loopback port, with its own data folder, the known admin, and JSON calls to it."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ADMIN_EMAIL = "admin@hms.test"
ADMIN_PASSWORD = "admin-password-1"
JWT_SECRET = "browser-tests-jwt-secret-0123456789abcdef"  # shared by the server processes


class Server:
    """The real hms-server on a free loopback port, with its own data folder and the console."""

    def __init__(self, binary, console=None, share=None, env=None):
        """`share`: another Server whose database this one opens too (a second server process);
        `env`: extra settings (HMS_CLOCK_OFFSET, HMS_ACCESS_TTL, HMS_RATE_LIMIT)."""
        self.owner = share is None
        self.folder = share.folder if share else tempfile.mkdtemp(prefix="hms-test-")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.folder, f"server-{self.port}.log"), "wb")
        self.process = subprocess.Popen(
            [os.path.abspath(binary), "--host", "127.0.0.1", "--port", str(self.port),
             "--database-url", os.path.join(self.folder, "hms.sqlite"),
             "--admin-email", ADMIN_EMAIL, "--admin-password", ADMIN_PASSWORD,
             "--bcrypt-cost", "4", "--no-show-interval", "0"] + (["--console-dir", console] if console else []),
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder,
            env={**os.environ, "HMS_JWT_SECRET": JWT_SECRET, **(env or {})})
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
        if self.owner:
            shutil.rmtree(self.folder, ignore_errors=True)


