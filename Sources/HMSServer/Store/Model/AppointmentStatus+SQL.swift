import HMSSyncCore

extension AppointmentStatus {
    /// The active statuses as an SQL list, `('BOOKED', 'COMPLETED')`, for both backends' queries
    /// and guards. Built from the domain's own list, never retyped; the values are fixed enum raw
    /// values, so writing them into SQL text is safe.
    static let activeSQLList = "(" + activeRawValues.map { "'\($0)'" }.joined(separator: ", ") + ")"
}
