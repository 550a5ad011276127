import Foundation
import HMSTestSupport

/// A loopback socket that listens and never accepts: connections complete in the kernel's
/// backlog and then hear nothing (a server that hangs).
final class SilentListener: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        guard let (fd, port) = LoopbackSocket.listen() else { throw TestFailure("cannot listen on loopback") }
        self.fd = fd
        self.port = port
    }

    func close() { _ = Glibc.close(fd) }
}
