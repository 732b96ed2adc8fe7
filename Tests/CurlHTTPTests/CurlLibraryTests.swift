import CCurl
import Testing

@testable import CurlHTTP

struct CurlLibraryTests {
    @Test func aMissingLibcurlIsAnErrorThatSaysWhatToInstall() throws {
        let result = CurlLibrary.load(["libthreadpress-no-such-curl.so.9"])
        guard case .failure(let error) = result else {
            Issue.record("loaded a library that does not exist")
            return
        }
        #expect(error.summary == "libcurl could not be loaded")
        #expect(error.message.hasPrefix(
            "libcurl could not be loaded; install libcurl (Debian: apt install libcurl4) [libthreadpress-no-such-curl.so.9: cannot open shared object file"))
    }

    @Test func aLibraryWithoutCurlsFunctionsIsRefused() throws {
        // libm is a real shared library without curl_global_init.
        let result = CurlLibrary.load(["libm.so.6"])
        guard case .failure(let error) = result else {
            Issue.record("took libm for libcurl")
            return
        }
        #expect(error.message == "libcurl could not be loaded; install libcurl (Debian: apt install libcurl4) [libcurl has no curl_global_init]")
    }

    @Test func theSystemLibcurlLoadsWithEveryFunction() throws {
        let curl = try CurlLibrary.shared()
        // curl_easy_strerror(CURLE_OK) is a constant text.
        #expect(curl.easyStrerror(CURLE_OK).map { String(cString: $0) } == "No error")
    }
}
