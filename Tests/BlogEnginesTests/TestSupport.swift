import BlogEngines
import Foundation
import Synchronization
import ThreadpressModel

/// `2026-11-27T08:14:05Z` as a date.
func utc(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

let berlin = IANATimeZone(identifier: "Europe/Berlin")!

func message(_ nick: String, _ time: String, _ text: String, kind: ChatMessageKind = .message) -> ChatMessage {
    ChatMessage(channel: "#ops", time: utc(time), sender: ChatIdentity(nick: nick), kind: kind, text: text)
}

func makeDraft(key: String = "tp-1", title: String = "Deploy Friday", number: Int64 = 1) -> PostDraft {
    PostDraft(
        key: key, number: number, title: title, created: utc("2026-11-27T08:14:00Z"), tags: ["ops"],
        authors: ["alice", "bob"],
        lines: [
            message("alice", "2026-11-27T08:14:05Z", "shall we deploy?"),
            message("bob", "2026-11-27T08:15:00Z", "hides", kind: .action),
        ],
        timeZone: berlin)
}

/// Collects an engine's warnings.
final class WarningLog: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var sink: @Sendable (String) -> Void {
        { line in self.lines.withLock { $0.append(line) } }
    }
}

extension BlogEngine {
    /// The comments of one post, as the mirror asks for posts threadpress made.
    func comments(on post: PostReference, after cursor: String?) async throws -> CommentPage {
        try await comments(after: cursor, scope: .posts([post]))
    }
}
