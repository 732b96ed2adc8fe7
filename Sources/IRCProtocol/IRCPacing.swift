/// How fast lines may go to one server: a token bucket counted in lines and one counted in bytes.
///
/// A line leaves when both buckets hold enough: one line token and its byte count (a line bigger
/// than the byte burst waits for a full bucket). Tokens refill continuously up to the burst sizes.
public struct IRCPacing: Hashable, Sendable {
    /// Lines that may leave at once after a quiet spell.
    public var lineBurst: Double
    /// Sustained lines per second.
    public var linesPerSecond: Double
    /// Bytes that may leave at once after a quiet spell (CR LF included).
    public var byteBurst: Double
    /// Sustained bytes per second.
    public var bytesPerSecond: Double

    public init(lineBurst: Double, linesPerSecond: Double, byteBurst: Double, bytesPerSecond: Double) {
        precondition(lineBurst >= 1 && linesPerSecond > 0 && byteBurst >= 1 && bytesPerSecond > 0,
                     "IRCPacing needs a burst of at least one line and byte and positive rates")
        self.lineBurst = lineBurst
        self.linesPerSecond = linesPerSecond
        self.byteBurst = byteBurst
        self.bytesPerSecond = bytesPerSecond
    }

    /// Safe on InspIRCd's defaults: fakelag adds a point per PRIVMSG and lets 10 pass before it
    /// delays (registration already costs ~6), decaying 1 per second, and more than 4 KiB arriving
    /// unprocessed disconnects (`RecvQ exceeded`). Four lines and 2 KiB at once, then one line and
    /// 512 bytes a second, keeps both well clear. Also the default.
    public static let inspIRCd = IRCPacing(lineBurst: 4, linesPerSecond: 1, byteBurst: 2048, bytesPerSecond: 512)

    /// ngircd 26 processes ~3 commands a second per client and never disconnects for flooding, but
    /// penalises bursts; two lines a second stays below it.
    public static let ngircd = IRCPacing(lineBurst: 3, linesPerSecond: 2, byteBurst: 1536, bytesPerSecond: 1024)

    /// The default: ``inspIRCd``, the stricter of the two servers measured.
    public static let `default` = inspIRCd
}
