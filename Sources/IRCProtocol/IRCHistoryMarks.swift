/// The newest chat line seen per channel (keyed by the channel's configured spelling).
///
/// Both the session (to ask for what it missed) and the transport (to write the resume position
/// that travels with each message) keep one, updated by the same rule: a channel line with a msgid
/// or a server time moves the mark unless it is older than the mark (history arriving after a
/// newer live line never moves it back).
public struct IRCHistoryMarks: Hashable, Sendable {
    public private(set) var marks: [String: IRCHistoryMark]

    public init(_ marks: [String: IRCHistoryMark] = [:]) {
        self.marks = marks
    }

    public subscript(channel: String) -> IRCHistoryMark? { marks[channel] }

    /// Records `message` (a channel line); returns whether the mark moved.
    @discardableResult
    public mutating func record(_ message: IRCChatMessage) -> Bool {
        guard let channel = message.channel else { return false }
        return record(IRCHistoryMark(messageID: message.messageID, serverTime: message.serverTime), in: channel)
    }

    /// Records a line of `channel` known by `mark`; returns whether the mark moved.
    @discardableResult
    public mutating func record(_ mark: IRCHistoryMark, in channel: String) -> Bool {
        guard mark.messageID != nil || mark.serverTime != nil else { return false }
        if let old = marks[channel], let oldTime = old.serverTime, let newTime = mark.serverTime, newTime < oldTime {
            return false
        }
        guard marks[channel] != mark else { return false }
        marks[channel] = mark
        return true
    }

    /// Records every mark of `other` (the newer one wins per channel).
    public mutating func merge(_ other: IRCHistoryMarks) {
        for (channel, mark) in other.marks.sorted(by: { $0.key < $1.key }) { record(mark, in: channel) }
    }
}
