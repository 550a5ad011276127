import PostgresNIO

/// The namespaces of the two-key advisory locks (`pg_advisory_xact_lock(int4, int4)`): the
/// first key says what is locked, the second is `hashtext` of its id. Two-key locks live apart
/// from the one-key ones (`PostgresChanges.lockKey`, `PostgresMigrations.lockKey`). Two ids with
/// the same hash only wait for each other; they never decide on each other's facts.
enum PostgresLockSpace {
    /// One appointment id ("HMSA" in ASCII).
    static let appointment: Int32 = 0x484D_5341
    /// One doctor's availability windows ("HMSW").
    static let doctorWindows: Int32 = 0x484D_5357
    /// One sync client ("HMSC").
    static let syncClient: Int32 = 0x484D_5343
}

extension PostgresTransaction {
    /// Holds the appointment id until the transaction ends: the advisory lock serializes
    /// decisions on an id that may not exist yet (a booking and its idempotent retries), and the
    /// row lock, once it exists, makes the no-show sweep (`FOR UPDATE SKIP LOCKED`) pass it by or
    /// finish with it first. Either way the status read next is the one the write will change.
    func lockAppointment(id: String) throws {
        try execute("SELECT pg_advisory_xact_lock(\(PostgresLockSpace.appointment), hashtext(\(id)))")
        try execute("SELECT 1 FROM appointments WHERE id = \(id) FOR UPDATE")
    }

    /// Bookings of one doctor share this lock while they read the windows and insert; adding or
    /// removing a window takes it alone (``lockWindowsForChange(doctorId:)``), so no booking lands
    /// in a window being removed and no two windows are added over each other.
    func lockWindowsForBooking(doctorId: String) throws {
        try execute("SELECT pg_advisory_xact_lock_shared(\(PostgresLockSpace.doctorWindows), hashtext(\(doctorId)))")
    }

    /// The exclusive side of ``lockWindowsForBooking(doctorId:)``: waits for the doctor's bookings
    /// in flight and keeps new ones out until the transaction ends.
    func lockWindowsForChange(doctorId: String) throws {
        try execute("SELECT pg_advisory_xact_lock(\(PostgresLockSpace.doctorWindows), hashtext(\(doctorId)))")
    }

    /// Holds the sync client id until the transaction ends: one push (or first binding by a pull)
    /// at a time per client, so the gap check, the stored results and `last_mutation_id` are read
    /// and written by one push alone, and each mutation id is applied exactly once.
    func lockSyncClient(id: String) throws {
        try execute("SELECT pg_advisory_xact_lock(\(PostgresLockSpace.syncClient), hashtext(\(id)))")
    }
}
