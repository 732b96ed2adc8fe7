import Testing

@Test func placeholderBotRuntimeTests() { #expect(Bool(true)) }
