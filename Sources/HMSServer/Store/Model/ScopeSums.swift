import HMSSyncCore

/// The sums the server keeps for pull checksums (CONTRACT.md §9.6, docs/sync.md "Pull
/// checksums"). Each change moves its entity's sum over everyone, and the sums over its doctor
/// and over its patient; an actor's checksum is read from at most seven of them, whatever the
/// size of the scope.
enum ScopeSums {
    enum OwnerKind: String, Sendable { case all, doctor, patient }

    /// One kept sum: of `entity`'s rows, over everyone or over one doctor's or patient's.
    struct Key: Hashable, Sendable {
        let entity: ChangeEntity
        let ownerKind: OwnerKind
        let owner: String

        static func all(_ entity: ChangeEntity) -> Key { Key(entity: entity, ownerKind: .all, owner: "") }
    }

    /// The sums a row of `entity` with these owners counts in.
    static func keys(_ entity: ChangeEntity, doctorId: String?, patientId: String?) -> [Key] {
        var keys = [Key.all(entity)]
        if let doctorId { keys.append(Key(entity: entity, ownerKind: .doctor, owner: doctorId)) }
        if let patientId { keys.append(Key(entity: entity, ownerKind: .patient, owner: patientId)) }
        return keys
    }

    /// For each entity in `actor`'s scope, the sums XORed together into its part of the checksum.
    /// The same scope as the pull's (CONTRACT.md §6 "Scope", §9.1 busy rows): a patient's busy
    /// part is every busy row but their own, the sum over all XOR the sum over them.
    static func parts(of actor: Actor) -> [ChangeEntity: [Key]] {
        let me = actor.userId
        switch actor.role {
        case .admin:
            return [.doctor: [.all(.doctor)], .availability: [.all(.availability)], .appointment: [.all(.appointment)],
                    .penalty: [.all(.penalty)], .patient: [.all(.patient)]]
        case .doctor:
            return [.doctor: [.all(.doctor)], .availability: [Key(entity: .availability, ownerKind: .doctor, owner: me)],
                    .appointment: [Key(entity: .appointment, ownerKind: .doctor, owner: me)]]
        case .patient:
            return [.doctor: [.all(.doctor)], .availability: [.all(.availability)],
                    .busy: [.all(.busy), Key(entity: .busy, ownerKind: .patient, owner: me)],
                    .appointment: [Key(entity: .appointment, ownerKind: .patient, owner: me)],
                    .penalty: [Key(entity: .penalty, ownerKind: .patient, owner: me)],
                    .patient: [Key(entity: .patient, ownerKind: .patient, owner: me)]]
        }
    }

    /// `actor`'s checksum from the kept sums (`sums` holds those of `parts(of:)` that exist).
    static func checksum(of actor: Actor, sums: [Key: Int64]) -> ScopeChecksum {
        var checksum = ScopeChecksum()
        for (entity, keys) in parts(of: actor) {
            for key in keys { checksum.toggle(entity: entity.rawValue, hash: UInt64(bitPattern: sums[key] ?? 0)) }
        }
        return checksum
    }

    /// A row's hash as the server keeps it: of the row as a pull sends it.
    static func rowHash(_ entity: ChangeEntity, id: String, row: any CanonicalRow) -> Int64 {
        Int64(bitPattern: ScopeChecksum.rowHash(entity: entity.rawValue, id: id, canonicalRow: row.canonicalBytes))
    }
}
