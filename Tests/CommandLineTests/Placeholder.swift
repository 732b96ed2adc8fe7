import Testing

@Test func placeholderCommandLineTests() { #expect(Bool(true)) }
