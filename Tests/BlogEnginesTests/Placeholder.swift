import Testing

@Test func placeholderBlogEnginesTests() { #expect(Bool(true)) }
