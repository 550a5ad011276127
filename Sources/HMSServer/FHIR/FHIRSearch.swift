import Foundation
import HMSSyncCore
import HMSWebSupport
import Hummingbird

/// The search parameters of CONTRACT.md §9.5, read from a request. Unknown parameters are
/// ignored, as FHIR servers do by default; a malformed known one is `VALIDATION`.
struct FHIRSearch {
    static let defaultCount = 50
    static let maxCount = 200

    let request: Request
    let calendar: ClinicCalendar

    /// `_count`, clamped to 1...200.
    func count() throws(DomainError) -> Int {
        guard let text = request.query("_count") else { return Self.defaultCount }
        guard let value = Int(text) else { throw .validation(field: "_count", "_count must be a whole number") }
        return min(max(value, 1), Self.maxCount)
    }

    /// The id a reference parameter names: `Type/id` or a bare id. Anything that is not an id
    /// of that type names nothing (nil), which a search answers with no matches.
    func reference(_ name: String, type: String) -> String?? {
        guard let text = request.query(name) else { return .none }
        let id = text.hasPrefix("\(type)/") ? String(text.dropFirst(type.count + 1)) : text
        guard let uuid = UUID(uuidString: id) else { return .some(nil) }
        return .some(uuid.uuidString.lowercased())
    }

    /// `[from, to)` from every value of a date parameter: `geX` and `ltX` bound one side, a bare
    /// `X` is that whole day (or that instant's second). A date is a day of the clinic's zone.
    func range(_ name: String) throws(DomainError) -> (from: Date?, to: Date?) {
        var from: Date?
        var to: Date?
        for text in request.uri.queryParameters.getAll(name) {
            let prefix = text.prefix(2)
            let body = ["ge", "lt", "eq"].contains(prefix) ? String(text.dropFirst(2)) : text
            let span = try self.span(body, field: name)
            switch prefix {
            case "ge": from = max(from ?? span.start, span.start)
            case "lt": to = min(to ?? span.start, span.start)
            default:
                from = max(from ?? span.start, span.start)
                to = min(to ?? span.end, span.end)
            }
        }
        return (from, to)
    }

    /// A date as its clinic day, or an instant as its second.
    private func span(_ text: String, field: String) throws(DomainError) -> TimeRange {
        if let day = calendar.day(text) { return day }
        let instant = try calendar.instant(text, field: field)
        return TimeRange(start: instant, end: instant.addingTimeInterval(1))
    }

    /// The page position a `next` link carries (the REST lists' opaque cursor).
    func cursor() throws(DomainError) -> ListCursor? {
        try ListCursor.decode(request.query("_cursor"))
    }
}
