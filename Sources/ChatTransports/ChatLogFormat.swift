/// The log-file formats the ``LogFileTransport`` reads.
public enum ChatLogFormat: String, Sendable, Hashable, CaseIterable {
    /// WeeChat's logger: `2026-11-27 09:14:03<TAB>prefix<TAB>text`.
    case weechat
    /// irssi's default theme: `--- Log opened …` / `--- Day changed …`, `09:14 < nick> text`.
    case irssi
    /// One JSON object per line: `time`, `nick`, `text`, optional `account`, `id`, `reply_to`.
    case jsonl
}
