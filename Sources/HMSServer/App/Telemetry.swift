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

    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Metrics.Counter {
        Metrics.Counter(label: label, dimensions: dimensions, factory: factory)
    }

    func timer(_ label: String, _ dimensions: [(String, String)] = []) -> Metrics.Timer {
        Metrics.Timer(label: label, dimensions: dimensions, factory: factory)
    }
}
