import GRDB

extension Replica {
    /// The name a replica signed in before it kept the clinic's name shows: the server's default.
    public static let defaultClinicName = "HMS Clinic"

    /// The clinic as the last sign-in read it from `GET /v1/clinic`, or nil before any sign-in.
    public func clinic() throws -> Clinic? {
        try queue.read { db in
            guard let zone = try db.state(.clinicTimeZone) else { return nil }
            return Clinic(name: try db.state(.clinicName) ?? Self.defaultClinicName, timeZone: zone)
        }
    }
}
