import IRCProtocol
import IRCTransport
import Testing

/// The IRC transport's saved position: the newest msgid/time per channel, as JSON in the store.
@Suite struct IRCHistoryPositionTests {
    @Test func writesTheMarksOfEveryChannelInAStableOrder() {
        let marks = IRCHistoryMarks([
            "#team": IRCHistoryMark(messageID: "1DT~abc\"q", serverTime: 1_796_200_000_512),
            "#ops": IRCHistoryMark(messageID: nil, serverTime: 1_796_200_000_000),
            "#dev": IRCHistoryMark(messageID: "h9", serverTime: nil),
        ])
        #expect(IRCHistoryPosition.encode(marks)
            == ##"{"irc_history":1,"channels":{"#dev":{"msgid":"h9"},"#ops":{"time":1796200000000},"#team":{"msgid":"1DT~abc\"q","time":1796200000512}}}"##)
        #expect(IRCHistoryPosition.decode(IRCHistoryPosition.encode(marks)) == marks)
    }

    @Test(arguments: [
        "",  // nothing stored yet
        "logfile:/var/log/team.log:1234",  // another transport's kind of position
        ##"{"irc_history":2,"channels":{}}"##,  // a later version
        ##"{"channels":{"#team":{"msgid":"x"}}}"##,
        ##"{"irc_history":1,"channels":["#team"]}"##,
        "{\"irc_history\":1,",  // cut short
    ])
    func anythingElseMeansNoBackfill(_ position: String) {
        #expect(IRCHistoryPosition.decode(position) == nil)
    }

    @Test func aChannelWithNeitherMsgidNorTimeIsSkipped() {
        let decoded = IRCHistoryPosition.decode(##"{"irc_history":1,"channels":{"#a":{},"#b":{"msgid":"m1","time":"soon"}}}"##)
        #expect(decoded == IRCHistoryMarks(["#b": IRCHistoryMark(messageID: "m1", serverTime: nil)]))
    }
}
