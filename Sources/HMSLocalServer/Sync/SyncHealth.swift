/// Whether the last sync reached the server: `online` in `GET /v1/local/status`. False until a
/// first sync has answered.
actor SyncHealth {
    private(set) var online = false

    func record(reachedServer: Bool) {
        online = reachedServer
    }
}
