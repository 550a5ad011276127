/// Every error answer: `{"error": "...", "code": "...", "details": {...}?}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public let error: String
    public let code: String
    public let details: [String: ErrorDetail]?

    public init(error: String, code: String, details: [String: ErrorDetail]? = nil) {
        self.error = error
        self.code = code
        self.details = details
    }

    public init(_ domainError: DomainError) {
        self.init(
            error: domainError.message,
            code: domainError.code.rawValue,
            details: domainError.details.isEmpty ? nil : domainError.details
        )
    }
}
