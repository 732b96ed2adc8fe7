#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line delivered by ``FileFollower/lines(path:resumingAfter:pollInterval:)``.
public struct FollowedLine: Sendable, Hashable {
    /// The line without its `\n` (or `\r\n`); invalid UTF-8 becomes U+FFFD.
    public var text: String
    /// The position just after this line; resuming from it never delivers this line again.
    public var position: FilePosition

    public init(text: String, position: FilePosition) {
        self.text = text
        self.position = position
    }
}

extension FileFollower {
    /// Follows `path` forever on a dedicated thread, polling every `pollInterval` when there is
    /// nothing new. The stream ends only when the consuming task is cancelled (which stops the
    /// thread) or reading fails. Overlong lines are skipped silently.
    ///
    /// ```swift
    /// for try await line in FileFollower.lines(path: "/var/log/team.log") { print(line.text) }
    /// ```
    public static func lines(
        path: String, resumingAfter position: FilePosition? = nil, pollInterval: Duration = .milliseconds(250)
    ) -> AsyncThrowingStream<FollowedLine, Error> {
        ThreadedStream.make(name: "threadpress.follow") { sink in
            let follower = FileFollower(path: path, resumingAfter: position)
            while true {
                _ = try follower.readAvailable { event in
                    guard case .line(var bytes, let position) = event else { return }
                    if bytes.last == ByteScanning.carriageReturn { bytes.removeLast() }
                    try sink.yield(FollowedLine(text: String(decoding: bytes, as: UTF8.self), position: position))
                }
                try sink.flush()
                try sink.pause(pollInterval)
            }
        }
    }
}
