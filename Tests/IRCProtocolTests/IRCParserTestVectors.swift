// Test vectors from the PyPI package `irc-parser-tests` 0.0.4 (msg-split.yaml, msg-join.yaml,
// userhost-split.yaml), written in 2015 by Daniel Oaks <daniel@danieloaks.net> and dedicated to the
// public domain under CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/); some of them
// originate from grawity's (WTFPL v2), Mozilla's (public domain) and Sadie's test vectors.
// Generated from the YAML by a one-off script; the vectors are copied verbatim.

/// A line and the parts it must parse into (`msg-split.yaml`).
struct MessageSplitVector: Sendable, CustomStringConvertible {
    let input: String
    let tags: [(String, String)]?
    let source: String?
    let verb: String
    let params: [String]
    var description: String { input.debugDescription }
}

/// Parts and every line they may serialise to (`msg-join.yaml`).
struct MessageJoinVector: Sendable, CustomStringConvertible {
    let summary: String
    let tags: [(String, String)]?
    let source: String?
    let verb: String
    let params: [String]
    let matches: [String]
    var description: String { summary }
}

/// A source prefix and its nick, user and host (`userhost-split.yaml`; missing parts are empty).
struct UserhostSplitVector: Sendable, CustomStringConvertible {
    let source: String
    let nick: String
    let user: String
    let host: String
    var description: String { source.debugDescription }
}

enum IRCParserTestVectors {
    static let messageSplit: [MessageSplitVector] = [
        MessageSplitVector(input: "foo bar baz asdf", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", "asdf"]),
        MessageSplitVector(input: ":coolguy foo bar baz asdf", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "asdf"]),
        MessageSplitVector(input: "foo bar baz :asdf quux", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", "asdf quux"]),
        MessageSplitVector(input: "foo bar baz :", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", ""]),
        MessageSplitVector(input: "foo bar baz ::asdf", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", ":asdf"]),
        MessageSplitVector(input: ":coolguy foo bar baz :asdf quux", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "asdf quux"]),
        MessageSplitVector(input: ":coolguy foo bar baz :  asdf quux ", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "  asdf quux "]),
        MessageSplitVector(input: ":coolguy PRIVMSG bar :lol :) ", tags: nil, source: "coolguy", verb: "PRIVMSG", params: ["bar", "lol :) "]),
        MessageSplitVector(input: ":coolguy foo bar baz :", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", ""]),
        MessageSplitVector(input: ":coolguy foo bar baz :  ", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "  "]),
        MessageSplitVector(input: "@a=b;c=32;k;rt=ql7 foo", tags: [("a", "b"), ("c", "32"), ("k", ""), ("rt", "ql7")], source: nil, verb: "foo", params: []),
        MessageSplitVector(input: "@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764 foo", tags: [("a", "b\\and\nk"), ("c", "72 45"), ("d", "gh;764")], source: nil, verb: "foo", params: []),
        MessageSplitVector(input: "@c;h=;a=b :quux ab cd", tags: [("c", ""), ("h", ""), ("a", "b")], source: "quux", verb: "ab", params: ["cd"]),
        MessageSplitVector(input: ":src JOIN #chan", tags: nil, source: "src", verb: "JOIN", params: ["#chan"]),
        MessageSplitVector(input: ":src JOIN :#chan", tags: nil, source: "src", verb: "JOIN", params: ["#chan"]),
        MessageSplitVector(input: ":src AWAY", tags: nil, source: "src", verb: "AWAY", params: []),
        MessageSplitVector(input: ":src AWAY ", tags: nil, source: "src", verb: "AWAY", params: []),
        MessageSplitVector(input: ":cool\tguy foo bar baz", tags: nil, source: "cool\tguy", verb: "foo", params: ["bar", "baz"]),
        MessageSplitVector(input: ":coolguy!ag@net\u{03}5w\u{03}ork.admin PRIVMSG foo :bar baz", tags: nil, source: "coolguy!ag@net\u{03}5w\u{03}ork.admin", verb: "PRIVMSG", params: ["foo", "bar baz"]),
        MessageSplitVector(input: ":coolguy!~ag@n\u{02}et\u{03}05w\u{0F}ork.admin PRIVMSG foo :bar baz", tags: nil, source: "coolguy!~ag@n\u{02}et\u{03}05w\u{0F}ork.admin", verb: "PRIVMSG", params: ["foo", "bar baz"]),
        MessageSplitVector(input: "@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4= :irc.example.com COMMAND param1 param2 :param3 param3", tags: [("tag1", "value1"), ("tag2", ""), ("vendor1/tag3", "value2"), ("vendor2/tag4", "")], source: "irc.example.com", verb: "COMMAND", params: ["param1", "param2", "param3 param3"]),
        MessageSplitVector(input: ":irc.example.com COMMAND param1 param2 :param3 param3", tags: nil, source: "irc.example.com", verb: "COMMAND", params: ["param1", "param2", "param3 param3"]),
        MessageSplitVector(input: "@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4 COMMAND param1 param2 :param3 param3", tags: [("tag1", "value1"), ("tag2", ""), ("vendor1/tag3", "value2"), ("vendor2/tag4", "")], source: nil, verb: "COMMAND", params: ["param1", "param2", "param3 param3"]),
        MessageSplitVector(input: "COMMAND", tags: nil, source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: "@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND", tags: [("foo", "\\\\;\\s \r\n")], source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: ":gravel.mozilla.org 432  #momo :Erroneous Nickname: Illegal characters", tags: nil, source: "gravel.mozilla.org", verb: "432", params: ["#momo", "Erroneous Nickname: Illegal characters"]),
        MessageSplitVector(input: ":gravel.mozilla.org MODE #tckk +n ", tags: nil, source: "gravel.mozilla.org", verb: "MODE", params: ["#tckk", "+n"]),
        MessageSplitVector(input: ":services.esper.net MODE #foo-bar +o foobar  ", tags: nil, source: "services.esper.net", verb: "MODE", params: ["#foo-bar", "+o", "foobar"]),
        MessageSplitVector(input: "@tag1=value\\\\ntest COMMAND", tags: [("tag1", "value\\ntest")], source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: "@tag1=value\\1 COMMAND", tags: [("tag1", "value1")], source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: "@tag1=value1\\ COMMAND", tags: [("tag1", "value1")], source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: "@tag1=1;tag2=3;tag3=4;tag1=5 COMMAND", tags: [("tag1", "5"), ("tag2", "3"), ("tag3", "4")], source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: "@tag1=1;tag2=3;tag3=4;tag1=5;vendor/tag2=8 COMMAND", tags: [("tag1", "5"), ("tag2", "3"), ("tag3", "4"), ("vendor/tag2", "8")], source: nil, verb: "COMMAND", params: []),
        MessageSplitVector(input: ":SomeOp MODE #channel :+i", tags: nil, source: "SomeOp", verb: "MODE", params: ["#channel", "+i"]),
        MessageSplitVector(input: ":SomeOp MODE #channel +oo SomeUser :AnotherUser", tags: nil, source: "SomeOp", verb: "MODE", params: ["#channel", "+oo", "SomeUser", "AnotherUser"]),
    ]

    static let messageJoin: [MessageJoinVector] = [
        MessageJoinVector(summary: "Simple test with verb and params.", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", "asdf"],
                          matches: ["foo bar baz asdf", "foo bar baz :asdf"]),
        MessageJoinVector(summary: "Simple test with source and no params.", tags: nil, source: "src", verb: "AWAY", params: [],
                          matches: [":src AWAY"]),
        MessageJoinVector(summary: "Simple test with source and empty trailing param.", tags: nil, source: "src", verb: "AWAY", params: [""],
                          matches: [":src AWAY :"]),
        MessageJoinVector(summary: "Simple test with source.", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "asdf"],
                          matches: [":coolguy foo bar baz asdf", ":coolguy foo bar baz :asdf"]),
        MessageJoinVector(summary: "Simple test with trailing param.", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", "asdf quux"],
                          matches: ["foo bar baz :asdf quux"]),
        MessageJoinVector(summary: "Simple test with empty trailing param.", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", ""],
                          matches: ["foo bar baz :"]),
        MessageJoinVector(summary: "Simple test with trailing param containing colon.", tags: nil, source: nil, verb: "foo", params: ["bar", "baz", ":asdf"],
                          matches: ["foo bar baz ::asdf"]),
        MessageJoinVector(summary: "Test with source and trailing param.", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "asdf quux"],
                          matches: [":coolguy foo bar baz :asdf quux"]),
        MessageJoinVector(summary: "Test with trailing containing beginning+end whitespace.", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "  asdf quux "],
                          matches: [":coolguy foo bar baz :  asdf quux "]),
        MessageJoinVector(summary: "Test with trailing containing what looks like another trailing param.", tags: nil, source: "coolguy", verb: "PRIVMSG", params: ["bar", "lol :) "],
                          matches: [":coolguy PRIVMSG bar :lol :) "]),
        MessageJoinVector(summary: "Simple test with source and empty trailing.", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", ""],
                          matches: [":coolguy foo bar baz :"]),
        MessageJoinVector(summary: "Trailing contains only spaces.", tags: nil, source: "coolguy", verb: "foo", params: ["bar", "baz", "  "],
                          matches: [":coolguy foo bar baz :  "]),
        MessageJoinVector(summary: "Param containing tab (tab is not considered SPACE for message splitting).", tags: nil, source: "coolguy", verb: "foo", params: ["b\tar", "baz"],
                          matches: [":coolguy foo b\tar baz", ":coolguy foo b\tar :baz"]),
        MessageJoinVector(summary: "Tag with no value and space-filled trailing.", tags: [("asd", "")], source: "coolguy", verb: "foo", params: ["bar", "baz", "  "],
                          matches: ["@asd :coolguy foo bar baz :  "]),
        MessageJoinVector(summary: "Tags with escaped values.", tags: [("a", "b\\and\nk"), ("d", "gh;764")], source: nil, verb: "foo", params: [],
                          matches: ["@a=b\\\\and\\nk;d=gh\\:764 foo", "@d=gh\\:764;a=b\\\\and\\nk foo"]),
        MessageJoinVector(summary: "Tags with escaped values and params.", tags: [("a", "b\\and\nk"), ("d", "gh;764")], source: nil, verb: "foo", params: ["par1", "par2"],
                          matches: ["@a=b\\\\and\\nk;d=gh\\:764 foo par1 par2", "@a=b\\\\and\\nk;d=gh\\:764 foo par1 :par2", "@d=gh\\:764;a=b\\\\and\\nk foo par1 par2", "@d=gh\\:764;a=b\\\\and\\nk foo par1 :par2"]),
        MessageJoinVector(summary: "Tag with long, strange values (including LF and newline).", tags: [("foo", "\\\\;\\s \r\n")], source: nil, verb: "COMMAND", params: [],
                          matches: ["@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND"]),
    ]

    static let userhostSplit: [UserhostSplitVector] = [
        UserhostSplitVector(source: "coolguy!ag@127.0.0.1", nick: "coolguy", user: "ag", host: "127.0.0.1"),
        UserhostSplitVector(source: "coolguy!~ag@localhost", nick: "coolguy", user: "~ag", host: "localhost"),
        UserhostSplitVector(source: "!ag@127.0.0.1", nick: "", user: "ag", host: "127.0.0.1"),
        UserhostSplitVector(source: "coolguy!@127.0.0.1", nick: "coolguy", user: "", host: "127.0.0.1"),
        UserhostSplitVector(source: "coolguy@127.0.0.1", nick: "coolguy", user: "", host: "127.0.0.1"),
        UserhostSplitVector(source: "coolguy!ag@", nick: "coolguy", user: "ag", host: ""),
        UserhostSplitVector(source: "coolguy!ag", nick: "coolguy", user: "ag", host: ""),
        UserhostSplitVector(source: "coolguy!ag@net\u{03}5w\u{03}ork.admin", nick: "coolguy", user: "ag", host: "net\u{03}5w\u{03}ork.admin"),
        UserhostSplitVector(source: "coolguy!~ag@n\u{02}et\u{03}05w\u{0F}ork.admin", nick: "coolguy", user: "~ag", host: "n\u{02}et\u{03}05w\u{0F}ork.admin"),
    ]
}
