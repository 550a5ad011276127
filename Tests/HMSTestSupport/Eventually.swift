/// Checks `condition` every `every` until it holds or `timeout` passes; answers whether it held.
public func eventually(
    within timeout: Duration, every: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: every)
    }
}
