import Testing

@Test func placeholderConfigurationTests() { #expect(Bool(true)) }
