import Foundation

/// The appointment as the API and the replica show it (CONTRACT.md §4).
public struct Appointment: Codable, Sendable, Equatable {
    /// The doctor as an appointment names them.
    public struct DoctorRef: Codable, Sendable, Equatable {
        public let id: String
        public let name: String
        public let specialty: String

        public init(id: String, name: String, specialty: String) {
            self.id = id
            self.name = name
            self.specialty = specialty
        }
    }

    /// The patient as an appointment names them.
    public struct PatientRef: Codable, Sendable, Equatable {
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var id: String
    public var patientId: String
    public var doctorId: String
    public var start: Date
    public var end: Date
    public var status: AppointmentStatus
    public var reason: String?
    public var diagnosis: String?
    public var treatment: String?
    public var cancelReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var doctor: DoctorRef
    public var patient: PatientRef

    public init(
        id: String, patientId: String, doctorId: String, start: Date, end: Date, status: AppointmentStatus,
        reason: String?, diagnosis: String?, treatment: String?, cancelReason: String?,
        createdAt: Date, updatedAt: Date, doctor: DoctorRef, patient: PatientRef
    ) {
        self.id = id
        self.patientId = patientId
        self.doctorId = doctorId
        self.start = start
        self.end = end
        self.status = status
        self.reason = reason
        self.diagnosis = diagnosis
        self.treatment = treatment
        self.cancelReason = cancelReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.doctor = doctor
        self.patient = patient
    }

    public var slot: TimeRange { TimeRange(start: start, end: end) }

    private enum CodingKeys: String, CodingKey {
        case id, patientId, doctorId, start, end, status, reason, diagnosis, treatment, cancelReason
        case createdAt, updatedAt, doctor, patient
    }

    /// Absent notes are written as `null`, so every client sees every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(patientId, forKey: .patientId)
        try container.encode(doctorId, forKey: .doctorId)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encode(diagnosis, forKey: .diagnosis)
        try container.encode(treatment, forKey: .treatment)
        try container.encode(cancelReason, forKey: .cancelReason)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(doctor, forKey: .doctor)
        try container.encode(patient, forKey: .patient)
    }
}
