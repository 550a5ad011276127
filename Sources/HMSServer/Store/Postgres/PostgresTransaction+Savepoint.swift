extension PostgresTransaction: SavepointScope {
    func inSavepoint(_ body: () throws -> Void) throws {
        try savepoint(body)
    }
}
