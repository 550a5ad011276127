import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, for the tests that run real binaries.
///
/// Not Foundation's `Process`: on Linux with Swift 6.3 its `run()` over-reads the entries of
/// `/proc/self/fd` and crashes now and then (a 256-byte copy of `d_name`; fixed upstream in
/// swift-corelibs-foundation #5472), which was seen here killing the whole test run.
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked: `stdinWriter` is only touched under `lock`; the rest is immutable.
    public let pid: pid_t
    /// The write end of the child's standard input, when it reads from a pipe; nil once closed.
    private var stdinWriter: Int32?
    private let lock = NSLock()
    private let exits: AsyncStream<Int32>
    private let ended = NSLock()
    private var endedStatus: Int32?

    /// How a child ended.
    public enum Termination: Sendable, Equatable {
        case exit(Int32)
        case signal(Int32)
    }

    /// Starts `executable` with `arguments` and exactly `environment`. Standard output and error
    /// go to files (created or truncated); standard input reads `stdinPath`, or, when
    /// `stdinPipe` is set, a pipe this object keeps open until `closeStdin()` (a child that
    /// watches its input for the end of its parent).
    public init(
        executable: String, arguments: [String], environment: [String: String], stdinPath: String = "/dev/null",
        stdinPipe: Bool = false, stdoutPath: String, stderrPath: String
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if stdinPipe {
            guard pipe(&pipeEnds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            // neither end may leak into other children; dup2 gives this child's copy without the flag
            _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The child keeps only 0, 1 and 2. Without this it inherits every descriptor the test
        // process holds without close-on-exec, among them the in-process test servers' sockets:
        // a server's close then never reaches its client while the child lives.
        try Self.closeFrom3(&actions)

        // the child starts with every signal at its default and none blocked, whatever this
        // thread of the test process blocks
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var spawned: pid_t = 0
        let result = posix_spawn(&spawned, executable, &actions, &attributes, argv, envp)
        let pid = spawned
        if stdinPipe { close(pipeEnds[0]) }
        guard result == 0 else {
            if stdinPipe { close(pipeEnds[1]) }
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
        }
        self.pid = pid
        stdinWriter = stdinPipe ? pipeEnds[1] : nil

        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        self.exits = exits
        // waitpid blocks: a thread of its own for each child, so no pool thread waits
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            self.ended.withLock { self.endedStatus = status }
            continuation.yield(status)
            continuation.finish()
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time since
    /// the Glibc module does not export GNU extensions to Swift.
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) throws {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            throw POSIXError(.ENOSYS)
        }
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        let result = addCloseFrom(&actions, 3)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
    }

    /// Waits for the end of the child.
    public func termination() async -> Termination {
        var status: Int32 = 0
        for await value in exits { status = value }
        return Self.termination(status)
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { ended.withLock { endedStatus == nil } }

    private static func termination(_ status: Int32) -> Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exit((status >> 8) & 0xff) : .signal(signal)
    }

    /// Sends `signal` to the child.
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Closes the child's standard input pipe (it sees the end of its input).
    public func closeStdin() {
        lock.withLock {
            if let stdinWriter { close(stdinWriter) }
            stdinWriter = nil
        }
    }
}
