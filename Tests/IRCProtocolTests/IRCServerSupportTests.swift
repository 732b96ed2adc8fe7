import Testing
@testable import IRCProtocol

@Suite struct IRCServerSupportTests {
    @Test func readsInspIRCdAndNgircdTokens() throws {
        var inspircd = IRCServerSupport()
        inspircd.apply(try IRCMessage(parsing: ":irc.local 005 tp AWAYLEN=200 CASEMAPPING=rfc1459 CHANLIMIT=#:20 CHANMODES=IXbeg,k,Hfjl,ACKMNOPQRSTcimnprstz CHANNELLEN=64 CHANTYPES=# ELIST=CMNTU HOSTLEN=64 KEYLEN=32 KICKLEN=255 LINELEN=512 MAXLIST=IXbeg:100 MAXTARGETS=20 MODES=20 NAMELEN=128 NETWORK=Localnet :are supported by this server"))
        inspircd.apply(try IRCMessage(parsing: ":irc.local 005 tp NICKLEN=30 PREFIX=(qaohv)~&@%+ SAFELIST STATUSMSG=~&@%+ TOPICLEN=307 USERLEN=10 USERMODES=,,s,BIRcgikorw WHOX :are supported by this server"))
        #expect(inspircd.caseMapping == .rfc1459)
        #expect(inspircd.nickLength == 30)
        #expect(inspircd.channelTypes == "#")
        #expect(inspircd.lineLength == 512)
        #expect(inspircd.network == "Localnet")
        #expect(inspircd.prefixes.map { "\($0.mode)\($0.symbol)" } == ["q~", "a&", "o@", "h%", "v+"])
        #expect(inspircd.tokens["WHOX"] == "")
        #expect(inspircd.isChannel("#team"))
        #expect(!inspircd.isChannel("&local"))
        #expect(inspircd.strippingPrefixes("~@alice") == "alice")

        var ngircd = IRCServerSupport()
        ngircd.apply(try IRCMessage(parsing: ":irc.example.net 005 tp RFC2812 IRCD=ngIRCd CHARSET=UTF-8 CASEMAPPING=ascii PREFIX=(qaohv)~&@%+ CHANTYPES=#&+ CHANMODES=beI,k,l,imMnOPQRstVz CHANLIMIT=#&+:10 :are supported on this server"))
        ngircd.apply(try IRCMessage(parsing: ":irc.example.net 005 tp CHANNELLEN=50 NICKLEN=9 TOPICLEN=490 AWAYLEN=127 KICKLEN=400 MODES=5 MAXLIST=beI:50 EXCEPTS=e INVEX=I PENALTY FNC :are supported on this server"))
        #expect(ngircd.caseMapping == .ascii)
        #expect(ngircd.nickLength == 9)
        #expect(ngircd.isChannel("+modeless"))
    }

    @Test func usesRFCDefaultsAndHonoursRemovals() throws {
        var support = IRCServerSupport()
        #expect(support.caseMapping == .rfc1459)
        #expect(support.channelTypes == "#&")
        #expect(support.prefixes.map { "\($0.mode)\($0.symbol)" } == ["o@", "v+"])
        #expect(support.nickLength == nil)
        #expect(support.lineLength == 512)
        support.apply(try IRCMessage(parsing: ":s 005 tp NETWORK=Example\\x20Net LINELEN=2048 :are supported"))
        #expect(support.network == "Example Net")
        #expect(support.lineLength == 2048)
        support.apply(try IRCMessage(parsing: ":s 005 tp -NETWORK :are supported"))
        #expect(support.network == nil)
    }

    struct Folding: Sendable, CustomStringConvertible {
        let mapping: IRCCaseMapping
        let first: String
        let second: String
        let equal: Bool
        var description: String { "\(mapping.rawValue) \(first) \(second)" }
    }

    static let foldings: [Folding] = [
        Folding(mapping: .ascii, first: "#Team", second: "#team", equal: true),
        Folding(mapping: .ascii, first: "nick[a]", second: "nick{a}", equal: false),
        Folding(mapping: .rfc1459, first: "nick[a]\\", second: "NICK{A}|", equal: true),
        Folding(mapping: .rfc1459, first: "a^", second: "A~", equal: true),
        Folding(mapping: .strictRFC1459, first: "nick[a]\\", second: "NICK{A}|", equal: true),
        Folding(mapping: .strictRFC1459, first: "a^", second: "A~", equal: false),
        Folding(mapping: .rfc1459, first: "Grüße", second: "grüße", equal: true),
        Folding(mapping: .rfc1459, first: "GRÜSSE", second: "grüsse", equal: false),  // non-ASCII compared as is
        Folding(mapping: .ascii, first: "tp", second: "tp_", equal: false),
    ]

    @Test(arguments: foldings)
    func comparesNamesByCaseMapping(folding: Folding) {
        #expect(folding.mapping.equals(folding.first, folding.second) == folding.equal)
        #expect((folding.mapping.lowercased(folding.first) == folding.mapping.lowercased(folding.second)) == folding.equal)
    }
}
