import Testing

@Test func placeholderChatTransportsTests() { #expect(Bool(true)) }
