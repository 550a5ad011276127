import Hummingbird

/// Per-request state of `hms-sync serve`. There is no per-request identity: the cookie admits
/// the browser, and every `/v1` call acts as the replica's signed-in user (CONTRACT.md §9.7).
package struct LocalRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies over 1 MiB are refused with `413 PAYLOAD_TOO_LARGE`, as the server does (CONTRACT.md §1).
    package var maxUploadSize: Int { 1 << 20 }
}
