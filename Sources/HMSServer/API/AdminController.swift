import Foundation
import HMSSyncCore
import Hummingbird

/// Admin control of doctors (CONTRACT.md §2, §5).
struct AdminController {
    let services: AppServices

    struct DoctorBody: Decodable { let name: String; let email: String; let password: String; let specialty: String }

    func addRoutes(to routes: inout RouteTable) {
        routes.add(.post, "/v1/admin/doctors", createDoctor)
        routes.add(.post, "/v1/admin/doctors/{id}/blacklist") { try await setBlacklisted($0, $1, true) }
        routes.add(.post, "/v1/admin/doctors/{id}/unblacklist") { try await setBlacklisted($0, $1, false) }
    }

    @Sendable func createDoctor(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let body = try await request.decodeJSON(as: DoctorBody.self, context: context)
        let account = try AccountRule.validate(name: body.name, email: body.email, password: body.password)
        let specialty = body.specialty.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !specialty.isEmpty, specialty.count <= FieldRule.nameLimit else {
            throw DomainError.validation(field: "specialty", "specialty must be 1 to \(FieldRule.nameLimit) characters")
        }
        let record = try await services.store.createUser(
            NewUser(
                id: UUID().uuidString.lowercased(), name: account.name, email: account.email, role: .doctor,
                passwordHash: try await services.passwords.hash(body.password), specialty: specialty),
            now: services.clock.now())
        return try .json(record.doctor, status: .created)
    }

    func setBlacklisted(_ request: Request, _ context: AppRequestContext, _ blacklisted: Bool) async throws -> Response {
        _ = try context.require(.admin)
        let id = try request.pathId("id", context: context, what: "doctor")
        let record = try await services.store.setBlacklisted(doctorId: id, blacklisted, now: services.clock.now())
        return try .json(record.doctor)
    }
}
