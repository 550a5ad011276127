import HMSSyncCore

extension OutgoingPullPage {
    /// The patients whose records this page carries (their appointments, penalties and user
    /// rows), for the audit trail.
    var patientIds: Set<String> {
        var ids: Set<String> = []
        for change in changes {
            switch change.row {
            case let appointment as Appointment: ids.insert(appointment.patientId)
            case let penalty as Penalty: ids.insert(penalty.patientId)
            case let user as User where user.role == .patient: ids.insert(user.id)
            default: break
            }
        }
        return ids
    }
}
