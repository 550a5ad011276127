import Foundation

/// A child process with stdout and stderr in files (no pipe can fill up and stall it) and an
/// exit that can be awaited without blocking a thread.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured before `run()` and then only read; the exit stream is Sendable.
    let process = Process()
    let stdoutPath: String
    let stderrPath: String
    private let exited: AsyncStream<Int32>
    private let exitedContinuation: AsyncStream<Int32>.Continuation

    init(executable: String, arguments: [String], environment: [String: String], stdin: String? = nil, logFolder: String) throws {
        let name = UUID().uuidString.prefix(8)
        stdoutPath = (logFolder as NSString).appendingPathComponent("\(name).out")
        stderrPath = (logFolder as NSString).appendingPathComponent("\(name).err")
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        if let stdin {
            let inputPath = (logFolder as NSString).appendingPathComponent("\(name).in")
            FileManager.default.createFile(atPath: inputPath, contents: Data(stdin.utf8))
            process.standardInput = FileHandle(forReadingAtPath: inputPath)
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        (exited, exitedContinuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        let continuation = exitedContinuation
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` unless the process has already ended.
    func signal(_ signal: Int32) {
        if process.isRunning { kill(pid, signal) }
    }

    /// The exit status (or the signal number when `reason` is `.uncaughtSignal`); a process
    /// still running after `timeout` seconds is killed and reported as such.
    func waitForExit(timeout: TimeInterval = 120) async -> (status: Int32, reason: Process.TerminationReason, timedOut: Bool) {
        let watchdog = Task { [pid] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
            kill(pid, SIGKILL)
        }
        var status: Int32 = -1
        for await value in exited { status = value }
        let timedOut = !(await Self.cancel(watchdog))
        return (status, process.terminationReason, timedOut)
    }

    /// Cancels the watchdog; answers whether it was still waiting (so it did not fire).
    private static func cancel(_ watchdog: Task<Void, any Error>) async -> Bool {
        watchdog.cancel()
        if case .failure = await watchdog.result { return true }
        return false
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}
