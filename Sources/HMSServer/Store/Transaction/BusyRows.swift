import Crypto
import Foundation

/// A busy row whose slot has ended and whose delete is not recorded yet.
struct DueBusy: Sendable {
    let id: String
    let doctorId: String
    let patientId: String
}

/// The busy rows (CONTRACT.md §9.1): one per appointment, under a derived id (`BusyId`).
protocol BusyRows {
    /// The secret busy ids are derived under, made once with the schema.
    func busyKey() throws -> SymmetricKey
    func insertBusy(id: String, appointmentId: String, end: Date) throws
    /// The id of the appointment's busy row while it is not ended.
    func liveBusyId(appointmentId: String) throws -> String?
    /// Marks the row ended unless another writer did first; answers whether this call did.
    func endBusy(id: String) throws -> Bool
    /// Rows not ended whose slot ended by `now`, oldest end first.
    func dueBusy(endedBy now: Date, limit: Int) throws -> [DueBusy]
}
