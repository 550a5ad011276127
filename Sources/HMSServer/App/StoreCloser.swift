import ServiceLifecycle

/// Closes the store once the server has stopped serving: a PostgreSQL store's connections are
/// ended instead of left for the database to time out (SQLite's file is simply closed).
struct StoreCloser: Service {
    let store: any ServerStore

    func run() async throws {
        // Returns at graceful shutdown; the HTTP server has drained by the time the group ends us.
        try? await gracefulShutdown()
        await store.close()
    }
}
