#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes lines to standard output with `write(2)`, no stdio buffer in between: a reply is in the
/// file (or pipe, or journal) before the store marks it sent, even when standard output is
/// redirected to a file (as the documented systemd unit does) and the process is then killed.
public enum StandardOutput {
    /// Writes `line` and a newline. Retries partial writes and interrupted calls; gives up silently
    /// on a closed or full output (the bot's own log says nothing more useful than the write would).
    @Sendable public static func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        writeAll(bytes, to: STDOUT_FILENO)
    }

    /// Writes `text` as it is (no newline added) to standard error, the same way.
    @Sendable public static func writeStandardError(_ text: String) {
        writeAll(Array(text.utf8), to: STDERR_FILENO)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result > 0 {
                written += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
