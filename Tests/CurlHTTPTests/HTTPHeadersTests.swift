import CurlHTTP
import Testing

@Suite struct HTTPHeadersTests {
    @Test(arguments: ["content-type", "Content-Type", "CONTENT-TYPE", "cOnTeNt-TyPe"])
    func lookupIgnoresCase(name: String) {
        let headers: HTTPHeaders = ["Content-Type": "text/html", "X-Other": "1"]
        #expect(headers[name] == "text/html")
        #expect(headers.contains(name))
    }

    @Test func settingReplacesEveryFieldOfThatNameInPlace() {
        var headers = HTTPHeaders()
        headers.add("Accept", "a")
        headers.add("X-Keep", "k")
        headers.add("accept", "b")
        headers["ACCEPT"] = "c"
        #expect(headers.fields == [.init(name: "Accept", value: "c"), .init(name: "X-Keep", value: "k")])
    }

    @Test func settingNilRemovesAndAddKeepsRepeats() {
        var headers: HTTPHeaders = ["Set-Cookie": "a=1"]
        headers.add("set-cookie", "b=2")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        headers["Set-Cookie"] = nil
        #expect(headers.count == 0)
        #expect(headers["set-cookie"] == nil)
    }

    @Test func descriptionListsNamesButNoValues() {
        let headers: HTTPHeaders = ["Authorization": "Bearer abc.def", "Accept": "text/plain"]
        #expect(headers.description == "[Authorization, Accept]")
    }
}
