import IRCProtocol
import JSON

/// The IRC transport's resume position: the newest line seen per channel, as the store keeps it in
/// `transport_positions`.
///
/// Every channel line with a msgid or a server time carries the position *after* it (all channels'
/// marks, so the last stored position is complete); lines without either carry none and the store
/// keeps the previous one. ``IRCChatTransport/events(resumingAfter:untilCaughtUp:)`` seeds the
/// session's marks from it, so a restarted bot backfills from what it had stored.
///
/// ```json
/// {"irc_history":1,"channels":{"#team":{"msgid":"1DT~abc","time":1764667200512}}}
/// ```
public enum IRCHistoryPosition {
    /// The position for `marks`.
    public static func encode(_ marks: IRCHistoryMarks) -> String {
        let channels = marks.marks.sorted { $0.key < $1.key }.map { channel, mark -> (String, JSONValue) in
            var members: [(String, JSONValue)] = []
            if let id = mark.messageID { members.append(("msgid", .string(id))) }
            if let time = mark.serverTime { members.append(("time", .integer(time))) }
            return (channel, .object(JSONObject(members)))
        }
        return JSONValue.object(JSONObject([("irc_history", .integer(1)), ("channels", .object(JSONObject(channels)))])).serialized()
    }

    /// The marks in `position`, or `nil` when it is not an IRC history position (none stored yet, or
    /// written by another version): the bot then starts without backfill.
    public static func decode(_ position: String) -> IRCHistoryMarks? {
        guard let value = try? JSONParser.parse(Array(position.utf8)), value["irc_history"]?.int64 == 1,
              let channels = value["channels"]?.object else { return nil }
        var marks: [String: IRCHistoryMark] = [:]
        for member in channels.members {
            let mark = IRCHistoryMark(messageID: member.value["msgid"]?.string, serverTime: member.value["time"]?.int64)
            guard mark.messageID != nil || mark.serverTime != nil else { continue }
            marks[member.key] = mark
        }
        return IRCHistoryMarks(marks)
    }
}
