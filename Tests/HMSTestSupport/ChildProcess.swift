import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process with stdout and stderr in files (no pipe can fill up and stall it) and an
/// exit that can be awaited without blocking a thread.
public final class ChildProcess: Sendable {
    public let process: SpawnedProcess
    public let stdoutPath: String
    public let stderrPath: String

    /// How a child ended, in `Process`'s terms.
    public enum TerminationReason: Sendable { case exit, uncaughtSignal }

    public init(executable: String, arguments: [String], environment: [String: String], stdin: String? = nil, logFolder: String) throws {
        let name = UUID().uuidString.prefix(8)
        stdoutPath = (logFolder as NSString).appendingPathComponent("\(name).out")
        stderrPath = (logFolder as NSString).appendingPathComponent("\(name).err")
        var inputPath = "/dev/null"
        if let stdin {
            inputPath = (logFolder as NSString).appendingPathComponent("\(name).in")
            _ = FileManager.default.createFile(atPath: inputPath, contents: Data(stdin.utf8))
        }
        process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: environment, stdinPath: inputPath,
            stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    public var pid: Int32 { process.pid }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` unless the process has already ended.
    public func signal(_ signal: Int32) {
        if process.isRunning { process.signal(signal) }
    }

    /// The exit status (or the signal number when `reason` is `.uncaughtSignal`); a process
    /// still running after `timeout` seconds is killed and reported as such.
    public func waitForExit(timeout: TimeInterval = 120) async -> (status: Int32, reason: TerminationReason, timedOut: Bool) {
        let watchdog = Task { [process] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
            process.signal(SIGKILL)
        }
        let termination = await process.termination()
        let timedOut = !(await Self.cancel(watchdog))
        switch termination {
        case .exit(let status): return (status, .exit, timedOut)
        case .signal(let signal): return (signal, .uncaughtSignal, timedOut)
        }
    }

    /// Cancels the watchdog; answers whether it was still waiting (so it did not fire).
    private static func cancel(_ watchdog: Task<Void, any Error>) async -> Bool {
        watchdog.cancel()
        if case .failure = await watchdog.result { return true }
        return false
    }

    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}
