import Foundation

extension SyncEngine {
    /// Sends a doctor's weekly schedule to the server (CONTRACT.md §9.3) and answers what it
    /// created and skipped. Online only: it is no intent, because which days are free is the
    /// server's to judge against every window it holds. A refused request is `ReplicaError.refused`
    /// with the server's code; the windows reach the replica with the next pull.
    public func addSchedule(_ request: ScheduleRequest) async throws -> ScheduleResult {
        guard let session = try replica.session() else { throw ReplicaError.loginNeeded("sign in first") }
        guard session.user.role == .doctor else { throw ReplicaError.refused(.forbidden) }
        return try await api.call(
            "POST", server: session.server, path: "/v1/doctors/me/schedule", body: request, as: ScheduleResult.self)
    }
}
