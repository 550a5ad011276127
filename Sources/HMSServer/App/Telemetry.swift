import Metrics
import Prometheus

/// The server's metrics, through swift-metrics into one Prometheus registry per app, so that
/// every app (and every test) has its own `/metrics`.
struct Telemetry: Sendable {
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        factory = PrometheusMetricsFactory(registry: registry)
        // so /metrics always shows at least one metric
        Metrics.Gauge(label: "hms_up", factory: factory).record(1)
    }

    /// Adds `amount` to a counter.
    func count(_ label: String, _ dimensions: [(String, String)] = [], by amount: Int = 1) {
        Metrics.Counter(label: label, dimensions: dimensions, factory: factory).increment(by: amount)
    }

    /// Sets a gauge.
    func set(_ label: String, _ value: Int, _ dimensions: [(String, String)] = []) {
        Metrics.Gauge(label: label, dimensions: dimensions, factory: factory).record(value)
    }

    /// Records a duration in a timer (a Prometheus histogram).
    func time(_ label: String, _ dimensions: [(String, String)] = [], _ duration: Duration) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        Metrics.Timer(label: label, dimensions: dimensions, factory: factory).recordNanoseconds(nanoseconds)
    }
}
