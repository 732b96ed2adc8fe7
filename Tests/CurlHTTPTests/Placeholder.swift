import Testing

@Test func placeholderCurlHTTPTests() { #expect(Bool(true)) }
