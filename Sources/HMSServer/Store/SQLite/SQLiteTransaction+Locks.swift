extension SQLiteTransaction {
    // SQLite runs one writer at a time, so a flow's facts can't change under it: nothing to hold.

    func lockAppointment(id: String) throws {}

    func lockWindowsForBooking(doctorId: String) throws {}

    func lockSyncClient(id: String) throws {}

    func lockChangeOrder() throws {}
}
