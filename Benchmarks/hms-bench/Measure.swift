import Foundation

/// Wall-clock timing and the figures the benchmark prints.
enum Measure {
    /// Seconds `body` took, and its result.
    static func time<T>(_ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, value)
    }

    static func time<T>(_ body: () async throws -> T) async rethrows -> (seconds: Double, value: T) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try await body()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, value)
    }

    /// A process's peak resident set (`VmHWM` of /proc/PID/status) in MB, nil where there is no procfs.
    static func peakResidentMegabytes(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return kilobytes / 1024
    }

    /// CPU seconds (user and system) process `pid` has used so far, from `/proc/<pid>/stat`, in
    /// clock ticks of 10 ms. Less noisy than wall time on this shared VM.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        // fields after the name start at the third (state); utime and stime are the 14th and 15th
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The `p`-th percentile (0...100) of `samples`, nearest rank.
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func median(_ samples: [Double]) -> Double { percentile(samples, 50) }

    /// `1234567.8` → `1,234,568`.
    static func count(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? String(Int(value))
    }

    static func ms(_ seconds: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f ms", seconds * 1000)
    }
}

/// Progress and results: results on stdout, progress on stderr, both unbuffered so figures
/// appear as they are measured.
enum Report {
    static func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    static func section(_ title: String) { line("\n## \(title)") }
    static func figure(_ name: String, _ value: String) { line("  \(name.padding(toLength: 52, withPad: " ", startingAt: 0)) \(value)") }
    static func note(_ text: String) { FileHandle.standardError.write(Data("… \(text)\n".utf8)) }
}
