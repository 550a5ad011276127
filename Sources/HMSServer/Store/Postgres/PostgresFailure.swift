import HMSSyncCore
import NIOPosix
import PostgresNIO

/// PostgreSQL's errors in the server's terms, in one place: the SQLSTATEs the store looks for,
/// and which failures mean "the database cannot be reached" (answered `503 UNAVAILABLE`).
enum PostgresFailure {
    /// What a request gets when the database is down, lost or shutting down: `503 UNAVAILABLE`.
    static let unavailable = DomainError(.unavailable, "the database cannot be reached; try again shortly")

    /// SQLSTATE classes and codes of a server that cannot serve now: connection exceptions
    /// (class 08), too many connections, and an administrator or crash shutdown (57P01-57P03).
    private static let unavailableStates: Set<String> = ["53300", "57P01", "57P02", "57P03"]

    /// Whether `error`, thrown by a statement, says the database cannot be reached rather than
    /// that the statement failed. (Any failure to lease a connection counts as unreachable too;
    /// `PostgresConnector` knows when that happened.)
    static func isUnavailable(_ error: any Error) -> Bool {
        // A thread pool that stopped (the server is shutting down) runs nothing more either.
        if error is NIOThreadPoolError.ThreadPoolInactive { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler:
            return true
        case .server:
            guard let state = error.sqlState else { return false }
            return state.hasPrefix("08") || unavailableStates.contains(state)
        default:
            return false
        }
    }

    /// `error`, with the unavailable kinds replaced by ``unavailable``; all else unchanged.
    static func mapped(_ error: any Error) -> any Error {
        isUnavailable(error) ? unavailable : error
    }

    /// The contract code of a refused overlap: `SLOT_TAKEN` for the doctor's exclusion
    /// constraint, `PATIENT_BUSY` for the patient's, nil for any other error.
    static func overlapCode(_ error: any Error) -> ErrorCode? {
        guard let error = error as? PSQLError, error.isExclusionViolation else { return nil }
        switch error.constraintName {
        case PostgresSchema.doctorOverlapConstraint: return .slotTaken
        case PostgresSchema.patientOverlapConstraint: return .patientBusy
        default: return nil
        }
    }
}

extension PSQLError {
    /// The server's SQLSTATE, nil when the error did not come from the server.
    var sqlState: String? { serverInfo?[.sqlState] }

    /// The violated constraint's name, when the server names one.
    var constraintName: String? { serverInfo?[.constraintName] }

    /// `23505 unique_violation`.
    var isUniqueViolation: Bool { sqlState == "23505" }

    /// `23P01 exclusion_violation` (the overlap constraints).
    var isExclusionViolation: Bool { sqlState == "23P01" }

    /// `23503 foreign_key_violation`.
    var isForeignKeyViolation: Bool { sqlState == "23503" }

    /// `40001 serialization_failure` or `40P01 deadlock_detected`: the transaction may be retried.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The message of a `RAISE EXCEPTION` in a trigger (`P0001`), such as `INVALID_TRANSITION`.
    var raisedMessage: String? { sqlState == "P0001" ? serverInfo?[.message] : nil }
}
