extension AppointmentStatus {
    /// The active statuses as an SQL list, `('BOOKED', 'COMPLETED')`, for the server's queries and
    /// guards on both backends and the replica's local rules. Built from the domain's own list,
    /// never retyped; the values are fixed enum raw values, so writing them into SQL text is safe.
    package static let activeSQLList = "(" + activeRawValues.map { "'\($0)'" }.joined(separator: ", ") + ")"
}
