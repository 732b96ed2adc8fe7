#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Which messages a `!blog` command promotes.
public enum ConversationSelection: Sendable, Hashable {
    /// The current conversation: back to the last silence of `conversation.gap_minutes`.
    case currentConversation
    /// The last N conversation lines.
    case last(Int)
    /// Everything since a wall-clock time (the latest such time at or before the command).
    case since(hour: Int, minute: Int)
    /// A platform thread: its first message (network id `root`) and every reply in it. Chosen for
    /// a plain `!blog` said inside a thread.
    case thread(root: String)
    /// An explicit range of references (`!blog from 212 to 230`); `to` is the command itself when nil.
    case range(from: Int64, to: Int64?)
    /// The reply chain a command sent as a reply belongs to (IRCv3 `+draft/reply`, a platform
    /// reply): `to` is the network id of the message it answers.
    case replyChain(to: String)
    /// The most recent conversation containing every one of these words (`!blog about deploy friday`).
    case about([String])
}

/// One change to a draft from chat (`!draft N …`).
public enum DraftEdit: Sendable, Hashable {
    case title(String)
    /// Line numbers as `!preview` shows them (from 1), as ranges: `drop 3-5 8`.
    case drop([ClosedRange<Int>])
    /// Message references to add (`add 212 215`); they take their place in time order.
    case add([Int64])
    /// Replaces the draft's own tags.
    case tags([String])
    /// The paragraph before the quotes; empty removes it.
    case intro(String)
}

/// `!role …`.
public enum RoleCommand: Sendable, Hashable {
    case add(RoleGrant.Role, principal: String)
    case remove(RoleGrant.Role, principal: String)
    case list
}

/// A command understood from a chat line.
public enum ChatCommand: Sendable, Hashable {
    case blog(ConversationSelection, title: String?, tags: [String] = [])
    case drafts
    case help(topic: String?)
    /// Publish now, or at a wall-clock time (in the bot's time zone) when `at` is given.
    case approve(draft: Int64, at: WallClockTime? = nil)
    case reject(draft: Int64)
    /// `!comment approve|spam|trash ID`.
    case moderateComment(id: String, action: CommentModeration)
    /// `!reply ID text…`.
    case replyToComment(id: String, text: String)
    /// `!log [N]`: the last N lines with their references.
    case log(count: Int)
    /// `!preview N`: the draft's numbered lines and who is quoted.
    case preview(draft: Int64)
    /// `!draft N title|drop|add|tag|intro …`.
    case editDraft(draft: Int64, DraftEdit)
    /// `!ok N`: a quoted person agrees to be quoted under their name.
    case consent(draft: Int64)
    /// `!redact N`: a quoted person removes their lines from a draft.
    case redact(draft: Int64)
    /// `!forget N`: a quoted person removes their lines from a published post and the store.
    case forget(draft: Int64)
    /// `!override N reason…`: an approver publishes without everyone's consent, for a reason.
    case overrideConsent(draft: Int64, reason: String)
    /// `!optout` / `!optin`.
    case optOut
    case optIn
    case role(RoleCommand)
    /// A known command used wrongly; `problem` says what was wrong.
    case invalid(name: String, problem: String)
}

/// A date and time as a person typed it (`2026-12-01 09:00`), before a time zone makes it an instant.
public struct WallClockTime: Sendable, Hashable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    /// `2026-12-01` and `09:00` (24-hour), or `nil`.
    public init?(date: String, time: String) {
        let dateParts = date.split(separator: "-", omittingEmptySubsequences: false)
        let timeParts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard dateParts.count == 3, dateParts[0].count == 4, dateParts[1].count == 2, dateParts[2].count == 2,
            timeParts.count == 2, (1...2).contains(timeParts[0].count), timeParts[1].count == 2,
            let year = Int(dateParts[0]), let month = Int(dateParts[1]), let day = Int(dateParts[2]),
            let hour = Int(timeParts[0]), let minute = Int(timeParts[1]),
            (1...12).contains(month), (1...31).contains(day), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// The instant this time names in `zone`, or `nil` for a date that does not exist (31 February).
    public func instant(in zone: IANATimeZone) -> Date? {
        zone.date(from: LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute))
    }

    public var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute))"
    }
}
