import Foundation
import HMSSyncCore
import HMSWebSupport

/// `GET /fhir/R4/metadata`: what this read-only server offers (CONTRACT.md §9.5).
enum FHIRCapabilityStatement {
    /// Each resource type, whether it is read by id, and its search parameters (name, FHIR type;
    /// none: no search).
    static let resources: [(type: String, read: Bool, search: [(String, String)])] = [
        ("Appointment", true, [("patient", "reference"), ("practitioner", "reference"), ("date", "date"), ("status", "token")]),
        ("Practitioner", true, [("specialty", "string")]),
        ("Patient", true, []),
        ("Schedule", false, [("actor", "reference")]),
        ("Slot", false, [("schedule", "reference"), ("start", "date")]),
    ]

    static func make(software: String, published: Date) -> JSONValue {
        let entries: [JSONValue] = resources.map { resource in
            var interactions: [JSONValue] = resource.read ? [["code": "read"]] : []
            var entry: [String: JSONValue] = ["type": .string(resource.type)]
            if !resource.search.isEmpty {
                interactions.append(["code": "search-type"])
                entry["searchParam"] = .array(
                    (resource.search + [("_count", "number")]).map { ["name": .string($0.0), "type": .string($0.1)] })
            }
            entry["interaction"] = .array(interactions)
            return .object(entry)
        }
        return [
            "resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
            "date": .string(RFC3339.format(published)), "fhirVersion": .string(FHIRMapping.version),
            "format": ["application/fhir+json", "json"],
            "software": ["name": .string(software)],
            "implementation": ["description": "HMS appointments, read-only FHIR R4"],
            "rest": [[
                "mode": "server",
                "security": ["description": "OAuth-less bearer tokens from POST /v1/auth/login; the visibility of /v1 applies."],
                "resource": .array(entries),
            ]],
        ]
    }
}
