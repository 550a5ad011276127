/// A failed expectation of the harness itself (a server that does not start, an answer that
/// cannot be read), not of the code under test.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
