import HMSSyncCore

/// `GET /v1/clinic` under `serve`: the clinic as the replica last read it, plus `"local": true`,
/// which tells the console that it runs on a laptop's replica (CONTRACT.md §9.7).
struct LocalClinic: Encodable {
    let name: String
    let timeZone: String
    let local = true
}
