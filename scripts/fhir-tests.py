#!/usr/bin/env python3
"""FHIR R4 tests (CONTRACT.md §9.5, issue 14), against the real hms-server.

Starts the built server on a free 127.0.0.1 port with a temporary database, prepares a clinic
through /v1 (an admin, two doctors, two patients, appointments in every status), then reads every
FHIR endpoint as each role and checks the answers: each one validates against the R4 models of
fhir.resources 6.5 (run this script with the venv python that scripts/ensure-deps.sh makes, in
.build/fhir-r4-venv), searches by patient, practitioner, date (ge/lt) and status, paging with
_count and `next` links, 404 across patients as an OperationOutcome, the status mapping, and that
diagnosis and treatment never appear. Prints `N passed, N failed` last.

Usage: .build/fhir-r4-venv/bin/python scripts/fhir-tests.py [--server .build/debug/hms-server]
"""

import argparse
import datetime
import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.request

from fhir.resources import construct_fhir_element

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hms_server_process import ADMIN_EMAIL, ADMIN_PASSWORD, Server  # noqa: E402

FHIR = "/fhir/R4"
SECRET_NOTES = ("secret-diagnosis-7f3a", "secret-treatment-91bc")


def fhir_get(server, path, token=None):
    """GET a FHIR path: (status, content type, body)."""
    request = urllib.request.Request(server.base + path)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), json.loads(error.read() or b"null")


def valid(resource):
    """The resource parsed by the R4 models (raises on anything R4 does not allow), and the raw JSON
    checked for the clinical notes that must never appear."""
    text = json.dumps(resource)
    for note in SECRET_NOTES:
        assert note not in text, "a clinical note appears in a FHIR resource"
    return construct_fhir_element(resource["resourceType"], resource)


def read(server, path, token, status=200):
    got, content_type, body = fhir_get(server, path, token)
    assert got == status, f"GET {path}: expected {status}, got {got}: {body}"
    assert content_type.startswith("application/fhir+json"), f"GET {path}: content type {content_type}"
    valid(body)
    return body


def search(server, path, token):
    """Every page of a search, following `next` links; answers the resources."""
    resources, pages = [], 0
    while path:
        bundle = read(server, path, token)
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset", bundle
        resources += [entry["resource"] for entry in bundle.get("entry", [])]
        path = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        pages += 1
        assert pages < 50, "paging does not end"
    return resources


class Clinic:
    """Two doctors with tomorrow's 09:00-12:00 (UTC) in 30-minute slots, two patients, and
    appointments: Ann has four (booked, completed, cancelled, and one with the second doctor),
    Ben one; one completed with clinical notes."""

    def __init__(self, server, later):
        self.admin = admin = server.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        stamp = str(time.time_ns())
        self.day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).date()
        self.doctors, self.doctor_tokens, self.doctor_emails = [], [], []
        for index, specialty in enumerate(["cardiology", "dermatology"]):
            email = f"doc{index}-{stamp}@clinic.test"
            doctor = server.expect(201, "POST", "/v1/admin/doctors", {
                "name": f"Dr Number {index}", "email": email, "password": "doctor-pass-1", "specialty": specialty}, admin)
            token = server.login(email, "doctor-pass-1")
            server.expect(201, "POST", "/v1/doctors/me/availability", {
                "start": self.at(9), "end": self.at(12), "slotMinutes": 30}, token)
            self.doctors.append(doctor["id"])
            self.doctor_emails.append(email)
            self.doctor_tokens.append(token)
        self.patients, self.patient_tokens = [], []
        for name in ["Ann", "Ben"]:
            email = f"{name.lower()}-{stamp}@example.test"
            user = server.expect(201, "POST", "/v1/auth/register", {"name": name, "email": email, "password": "patient-pass-1"})
            self.patients.append(user["id"])
            self.patient_tokens.append(server.login(email, "patient-pass-1"))
        ann, ben = self.patient_tokens

        def book(token, doctor, hour):
            return server.expect(201, "POST", "/v1/appointments", {"doctorId": doctor, "start": self.at(hour), "reason": "visit"}, token)["id"]
        self.booked = book(ann, self.doctors[0], 9)
        self.completed = book(ann, self.doctors[0], 10)
        self.cancelled = book(ann, self.doctors[0], 11)
        self.other_doctor = book(ann, self.doctors[1], 9.5)
        self.bens = book(ben, self.doctors[0], 11.5)
        server.expect(200, "POST", f"/v1/appointments/{self.cancelled}/cancel", {"reason": "travel"}, ann)
        # completing needs the slot started: a second server on the same database, a day ahead
        later.expect(200, "POST", f"/v1/appointments/{self.completed}/complete",
                     {"diagnosis": SECRET_NOTES[0], "treatment": SECRET_NOTES[1]},
                     later.login(self.doctor_emails[0], "doctor-pass-1"))

    def at(self, hour):
        moment = datetime.datetime.combine(self.day, datetime.time(int(hour), int(hour % 1 * 60)), datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_metadata(server, clinic):
    statement = read(server, FHIR + "/metadata", None)
    assert statement["resourceType"] == "CapabilityStatement" and statement["fhirVersion"] == "4.0.1"
    types = {resource["type"] for resource in statement["rest"][0]["resource"]}
    assert types == {"Appointment", "Practitioner", "Patient", "Schedule", "Slot"}, types


def test_appointment_read_and_status_mapping(server, clinic):
    ann = clinic.patient_tokens[0]
    expected = {clinic.booked: "booked", clinic.completed: "fulfilled", clinic.cancelled: "cancelled"}
    for appointment_id, status in expected.items():
        resource = read(server, f"{FHIR}/Appointment/{appointment_id}", ann)
        assert resource["id"] == appointment_id and resource["status"] == status, resource
        references = sorted(p["actor"]["reference"] for p in resource["participant"])
        assert references == sorted([f"Practitioner/{clinic.doctors[0]}", f"Patient/{clinic.patients[0]}"]), references
        assert all(p["status"] == "accepted" for p in resource["participant"])
    assert read(server, f"{FHIR}/Appointment/{clinic.cancelled}", ann)["cancelationReason"]["text"] == "travel"


def test_another_patients_resources_are_404_operation_outcomes(server, clinic):
    ann, ben = clinic.patient_tokens
    for path in [f"{FHIR}/Appointment/{clinic.bens}", f"{FHIR}/Patient/{clinic.patients[1]}"]:
        outcome = read(server, path, ann, status=404)
        assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["details"]["text"] == "NOT_FOUND"
    assert search(server, f"{FHIR}/Appointment?patient=Patient/{clinic.patients[1]}", ann) == []
    assert read(server, f"{FHIR}/Patient/{clinic.patients[0]}", ann)["id"] == clinic.patients[0]
    # a doctor sees a patient with an appointment of theirs, and only then
    assert read(server, f"{FHIR}/Patient/{clinic.patients[1]}", clinic.doctor_tokens[0])["id"] == clinic.patients[1]
    read(server, f"{FHIR}/Patient/{clinic.patients[1]}", clinic.doctor_tokens[1], status=404)
    unauthenticated = read(server, f"{FHIR}/Appointment", None, status=401)
    assert unauthenticated["issue"][0]["details"]["text"] == "UNAUTHENTICATED"


def test_appointment_searches(server, clinic):
    admin = clinic.admin
    ids = lambda resources: sorted(r["id"] for r in resources)  # noqa: E731
    anns = search(server, f"{FHIR}/Appointment?patient={clinic.patients[0]}", admin)
    assert ids(anns) == sorted([clinic.booked, clinic.completed, clinic.cancelled, clinic.other_doctor]), ids(anns)
    second = search(server, f"{FHIR}/Appointment?practitioner=Practitioner/{clinic.doctors[1]}", admin)
    assert ids(second) == [clinic.other_doctor]
    both = search(server, f"{FHIR}/Appointment?patient=Patient/{clinic.patients[0]}&practitioner={clinic.doctors[0]}&status=cancelled", admin)
    assert ids(both) == [clinic.cancelled]
    window = search(server, f"{FHIR}/Appointment?date=ge{clinic.at(10)}&date=lt{clinic.at(11)}&practitioner={clinic.doctors[0]}", admin)
    assert ids(window) == [clinic.completed], ids(window)
    day = search(server, f"{FHIR}/Appointment?date={clinic.day.isoformat()}", admin)
    assert len(day) == 5, len(day)
    # a doctor narrows inside their own schedule; another doctor's is none of theirs
    own = search(server, f"{FHIR}/Appointment?patient={clinic.patients[1]}", clinic.doctor_tokens[0])
    assert ids(own) == [clinic.bens]
    assert search(server, f"{FHIR}/Appointment?practitioner={clinic.doctors[1]}", clinic.doctor_tokens[0]) == []
    bad = read(server, f"{FHIR}/Appointment?status=arrived", admin, status=400)
    assert bad["issue"][0]["details"]["text"] == "VALIDATION"


def test_paging(server, clinic):
    first = read(server, f"{FHIR}/Appointment?_count=2", clinic.admin)
    assert len(first["entry"]) == 2 and any(link["relation"] == "next" for link in first["link"])
    every = search(server, f"{FHIR}/Appointment?_count=2", clinic.admin)
    assert len(every) == 5 and len({r["id"] for r in every}) == 5, [r["id"] for r in every]
    slots = search(server, f"{FHIR}/Slot?schedule=Schedule/{clinic.doctors[0]}&start=ge{clinic.at(0)}&start=lt{clinic.at(23)}&_count=4", clinic.admin)
    assert len(slots) == 6 and len({s["id"] for s in slots}) == 6


def test_practitioner_schedule_slot(server, clinic):
    token = clinic.patient_tokens[1]
    doctor = read(server, f"{FHIR}/Practitioner/{clinic.doctors[0]}", token)
    assert doctor["name"][0]["text"] == "Dr Number 0"
    found = search(server, f"{FHIR}/Practitioner?specialty=dermatology", token)
    assert [p["id"] for p in found] == [clinic.doctors[1]]
    schedules = search(server, f"{FHIR}/Schedule?actor=Practitioner/{clinic.doctors[0]}", token)
    assert [s["id"] for s in schedules] == [clinic.doctors[0]]
    slots = search(server, f"{FHIR}/Slot?schedule={clinic.doctors[0]}&start={clinic.day.isoformat()}", token)
    statuses = {slot["start"]: slot["status"] for slot in slots}
    assert statuses[clinic.at(9)] == "busy" and statuses[clinic.at(9.5)] == "free" and statuses[clinic.at(11)] == "free", statuses
    day = clinic.at(9).replace("-", "").replace(":", "")
    assert f"{clinic.doctors[0]}.{day}" in {slot["id"] for slot in slots}
    assert all(slot["schedule"]["reference"] == f"Schedule/{clinic.doctors[0]}" for slot in slots)


TESTS = [test_metadata, test_appointment_read_and_status_mapping, test_another_patients_resources_are_404_operation_outcomes,
         test_appointment_searches, test_paging, test_practitioner_schedule_slot]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=".build/debug/hms-server")
    arguments = parser.parse_args()
    server = Server(arguments.server)
    later = Server(arguments.server, share=server, env={"HMS_CLOCK_OFFSET": str(2 * 86400)})
    passed = failed = 0
    try:
        clinic = Clinic(server, later)
        for test in TESTS:
            try:
                test(server, clinic)
                passed += 1
                print(f"ok   {test.__name__}")
            except Exception:
                failed += 1
                print(f"FAIL {test.__name__}")
                traceback.print_exc()
    finally:
        later.stop()
        server.stop()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
