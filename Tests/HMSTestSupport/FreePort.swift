#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ports for test servers that are started by port number (child processes, the SMTP sink).
public enum FreePort {
    /// A port on 127.0.0.1 that nothing listened on a moment ago: bound to port 0, read, closed.
    public static func next() throws -> Int {
        guard let (fd, port) = LoopbackSocket.listen(backlog: 1) else { throw TestFailure("no free port on 127.0.0.1") }
        close(fd)
        return port
    }
}
