import HMSSyncCore

/// `GET /v1/local/status`: `hms-sync status --json`'s object plus `online` (CONTRACT.md §9.7).
struct LocalStatus: Encodable {
    let status: ReplicaStatus
    let online: Bool

    private enum CodingKeys: String, CodingKey { case online }

    func encode(to encoder: any Encoder) throws {
        try status.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(online, forKey: .online)
    }
}
