"""The peer hms-bench measures HMS against (issue 12): the plain Flask + SQLite + JWT service the
project's seed describes, run under gunicorn. Register, log in, add a doctor, open availability,
book with a conflict check. It speaks the few HMS paths and shapes the booking benchmark uses,
so the same client drives both; nothing else of HMS (no audit, no sync, no rate limits).

Run: HMS_PEER_DB=/tmp/peer.sqlite HMS_PEER_SECRET=... gunicorn -w 5 --preload -b 127.0.0.1:PORT app:app
"""
import os
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

import jwt
from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

DB = os.environ.get("HMS_PEER_DB", "peer.sqlite")
SECRET = os.environ.get("HMS_PEER_SECRET", "peer-secret")
ADMIN_EMAIL = os.environ.get("HMS_PEER_ADMIN_EMAIL", "admin@example.com")
ADMIN_PASSWORD = os.environ.get("HMS_PEER_ADMIN_PASSWORD", "admin-password")

app = Flask(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT, email TEXT UNIQUE, role TEXT, password_hash TEXT);
CREATE TABLE IF NOT EXISTS availability (id TEXT PRIMARY KEY, doctor_id TEXT, start TEXT, "end" TEXT, slot_minutes INTEGER);
CREATE TABLE IF NOT EXISTS appointments (id TEXT PRIMARY KEY, doctor_id TEXT, patient_id TEXT, start TEXT, "end" TEXT, status TEXT);
CREATE INDEX IF NOT EXISTS appointments_doctor ON appointments (doctor_id, start);
CREATE INDEX IF NOT EXISTS appointments_patient ON appointments (patient_id, start);
"""


def db():
    if "db" not in g:
        g.db = sqlite3.connect(DB, timeout=30, isolation_level=None)
        g.db.execute("PRAGMA journal_mode=WAL")
        g.db.execute("PRAGMA synchronous=FULL")
    return g.db


@app.teardown_appcontext
def close(_):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def setup():
    conn = sqlite3.connect(DB, timeout=30)
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR IGNORE INTO users VALUES (?, 'Admin', ?, 'admin', ?)",
                 (str(uuid.uuid4()), ADMIN_EMAIL, generate_password_hash(ADMIN_PASSWORD)))
    conn.commit()
    conn.close()


def token_for(user_id, role):
    exp = datetime.now(timezone.utc) + timedelta(hours=24)
    return jwt.encode({"sub": user_id, "role": role, "exp": exp}, SECRET, algorithm="HS256")


def caller():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        return jwt.decode(header[7:], SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None


def add_user(body, role):
    user_id = str(uuid.uuid4())
    try:
        db().execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                     (user_id, body["name"], body["email"].lower(), role, generate_password_hash(body["password"])))
    except sqlite3.IntegrityError:
        return jsonify(error="email taken", code="EMAIL_TAKEN"), 409
    return jsonify(id=user_id, name=body["name"], email=body["email"], role=role), 201


@app.post("/v1/auth/register")
def register():
    return add_user(request.get_json(), "patient")


@app.post("/v1/admin/doctors")
def add_doctor():
    who = caller()
    if who is None or who["role"] != "admin":
        return jsonify(error="admins only", code="FORBIDDEN"), 403
    return add_user(request.get_json(), "doctor")


@app.post("/v1/auth/login")
def login():
    body = request.get_json()
    row = db().execute("SELECT id, role, password_hash, name FROM users WHERE email = ?", (body["email"].lower(),)).fetchone()
    if row is None or not check_password_hash(row[2], body["password"]):
        return jsonify(error="wrong email or password", code="INVALID_CREDENTIALS"), 401
    return jsonify(accessToken=token_for(row[0], row[1]), refreshToken="", tokenType="Bearer", expiresIn=86400,
                   user=dict(id=row[0], name=row[3], email=body["email"], role=row[1]))


@app.post("/v1/doctors/me/availability")
def add_window():
    who = caller()
    if who is None or who["role"] != "doctor":
        return jsonify(error="doctors only", code="FORBIDDEN"), 403
    body = request.get_json()
    window_id = str(uuid.uuid4())
    db().execute("INSERT INTO availability VALUES (?, ?, ?, ?, ?)",
                 (window_id, who["sub"], body["start"], body["end"], body["slotMinutes"]))
    return jsonify(id=window_id, doctorId=who["sub"], start=body["start"], end=body["end"],
                   slotMinutes=body["slotMinutes"]), 201


def parse(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@app.post("/v1/appointments")
def book():
    who = caller()
    if who is None:
        return jsonify(error="sign in", code="UNAUTHENTICATED"), 401
    body = request.get_json()
    patient_id = body.get("patientId") if who["role"] == "admin" else who["sub"]
    start = parse(body["start"])
    conn = db()
    conn.execute("BEGIN IMMEDIATE")
    try:
        window = conn.execute(
            "SELECT slot_minutes, start FROM availability WHERE doctor_id = ? AND start <= ? AND \"end\" > ?",
            (body["doctorId"], body["start"], body["start"])).fetchone()
        if window is None or (start - parse(window[1])).total_seconds() % (window[0] * 60) != 0:
            conn.execute("ROLLBACK")
            return jsonify(error="not a slot", code="OUTSIDE_AVAILABILITY"), 422
        end = (start + timedelta(minutes=window[0])).strftime("%Y-%m-%dT%H:%M:%SZ")
        clash = conn.execute(
            "SELECT 1 FROM appointments WHERE status = 'BOOKED' AND (doctor_id = ? OR patient_id = ?) "
            "AND start < ? AND \"end\" > ?", (body["doctorId"], patient_id, end, body["start"])).fetchone()
        if clash is not None:
            conn.execute("ROLLBACK")
            return jsonify(error="that slot is taken", code="SLOT_TAKEN"), 409
        appointment_id = body.get("id") or str(uuid.uuid4())
        conn.execute("INSERT INTO appointments VALUES (?, ?, ?, ?, ?, 'BOOKED')",
                     (appointment_id, body["doctorId"], patient_id, body["start"], end))
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return jsonify(id=appointment_id, doctorId=body["doctorId"], patientId=patient_id, start=body["start"], end=end,
                   status="BOOKED"), 201


setup()
