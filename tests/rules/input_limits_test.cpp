// Rules files bounded before toml++ sees them (issue 8): a 40,000-part dotted key and
// deep nesting were stack overflows inside toml++; a FIFO hung `rules check`; a device
// was read; 50,000 problems took half a minute (each rescanned the file for its line).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <sstream>
#include <thread>

#include "app/rules_command.hpp"
#include "rules/pattern.hpp"
#include "rules/toml_shape.hpp"
#include "rules_test_support.hpp"
#include "support/temp_dir.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

Diagnostics problems_of(const std::string& text) {
    Diagnostics diagnostics;
    parse_rule_file(std::string_view(text), "limits.toml", diagnostics);
    return diagnostics;
}

std::string repeated(const std::string& part, std::size_t n, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += (i ? separator : "") + part;
    return out;
}

// Unblocks a reader stuck on `fifo` after `limit` (opens it for writing and closes it),
// so a regression fails the test instead of hanging it.
class FifoWatchdog {
public:
    FifoWatchdog(std::string fifo, std::chrono::seconds limit)
        : m_thread([this, fifo, limit] {
              auto deadline = std::chrono::steady_clock::now() + limit;
              while (!m_done && std::chrono::steady_clock::now() < deadline)
                  std::this_thread::sleep_for(std::chrono::milliseconds(10));
              if (m_done) return;
              int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
              if (fd >= 0) ::close(fd);
          }) {}
    ~FifoWatchdog() {
        m_done = true;
        m_thread.join();
    }

private:
    std::atomic<bool> m_done{false};
    std::thread m_thread;
};

}  // namespace

TEST_CASE("a 40,000-part dotted key is a positioned error, not a crash", "[rules][limits]") {
    Diagnostics d = problems_of("[settings]\n" + repeated("a", 40'000, ".") + " = 1\n");
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 2);
    CHECK(d[0].column == 2 * (k_max_key_parts - 1) + 2);  // at the 64th dot
    CHECK_THAT(d[0].message, Catch::Contains("more than 64 parts"));
    CHECK_THAT(format_diagnostic(d[0]), Catch::StartsWith("limits.toml:2:128: "));
}

TEST_CASE("nesting beyond the limit is a positioned error, not a crash", "[rules][limits]") {
    Diagnostics arrays = problems_of("x = " + std::string(100'000, '[') + std::string(100'000, ']') + "\n");
    REQUIRE(arrays.size() == 1);
    CHECK(arrays[0].column == 5 + k_max_nesting);
    CHECK_THAT(arrays[0].message, Catch::Contains("nested deeper than 64"));
    Diagnostics tables = problems_of("x = " + repeated("{a=", 50'000, "") + "1" + std::string(50'000, '}'));
    REQUIRE(tables.size() == 1);
    CHECK_THAT(tables[0].message, Catch::Contains("nested deeper"));
}

TEST_CASE("the shape scan ignores dots and brackets in strings and comments", "[rules][limits]") {
    std::string dots(500, '.');
    std::string text = "[[rule]]\nkind = \"process\"\nname = \"" + dots + "\"\nreason = '" + std::string(500, '[') +
                       "' # " + dots + "\ncmdline = \"\"\"\n" + dots + "\\\n\"\"\"\naction = \"ignore\"\n";
    CHECK(problems_of(text).empty());
    CHECK(problems_of("[settings]\n" + repeated("a", 10, ".") + " = 1\n").size() == 1);  // unknown key only
}

TEST_CASE("a FIFO or a device as a rules file is refused at once", "[rules][limits]") {
    TempDir dir("rules-fifo");
    std::string fifo = dir / "rules.toml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    Diagnostics d;
    auto start = std::chrono::steady_clock::now();
    {
        FifoWatchdog watchdog(fifo, std::chrono::seconds(5));
        read_rule_file(fifo, "rules.toml", d);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    REQUIRE(d.size() == 1);
    CHECK_THAT(d[0].message, Catch::Contains("is a FIFO"));

    Diagnostics device;
    read_rule_file("/dev/zero", "/dev/zero", device);
    REQUIRE(device.size() == 1);
    CHECK_THAT(device[0].message, Catch::Contains("is a device"));
}

TEST_CASE("50,000 problems take well under a second and print capped", "[rules][limits]") {
    std::string text = "[severity]\n";
    for (int i = 0; i < 50'000; ++i)
        text += "bogus" + std::to_string(i) + " = 1\n";
    std::clock_t start = std::clock();  // CPU time: other tests may load the machine
    Diagnostics d = problems_of(text);
    std::ostringstream err;
    print_diagnostics(d, err);
    double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    CHECK(d.size() == 50'000);
    CHECK(seconds < 1.0);
    CHECK_THAT(err.str(), Catch::Contains("limits.toml:51:1: unknown key `bogus49`") &&
                              Catch::Contains("… 49950 more (fix these first)\n") &&
                              Catch::Contains("50000 problems in 1 rules file"));
    CHECK(err.str().find("bogus50 ") == std::string::npos);
}

}  // namespace leakaudit

namespace leakaudit {

TEST_CASE("a backtracking-heavy regex matches a long command line in linear time", "[rules][limits][regex]") {
    Result<Pattern, PatternError> pattern = Pattern::compile("re:.*(a?){500}a{500}b.*", GlobMode::text);
    REQUIRE(pattern);
    std::string subject(100'000, 'a');
    std::clock_t start = std::clock();
    CHECK_FALSE(pattern->matches(subject));
    CHECK(pattern->matches(subject + "b"));
    CHECK(static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC < 2.0);
}

TEST_CASE("a bad regex still points at its line and column", "[rules][limits][regex]") {
    Diagnostics d = problems_of("[[rule]]\nkind = \"process\"\ncmdline = \"re:abc(def\"\naction = \"ignore\"\n");
    REQUIRE(d.size() == 1);
    CHECK(d[0].line == 3);
    CHECK(d[0].column == 15);  // RE2 names the unclosed part: from the regex start
    CHECK_THAT(d[0].message, Catch::Contains("bad regex"));
    Diagnostics backref = problems_of("[[rule]]\nkind = \"process\"\ncmdline = 're:(a)\\1'\naction = \"ignore\"\n");
    REQUIRE(backref.size() == 1);
    CHECK(backref[0].column == 18);  // the `\1`
}

}  // namespace leakaudit
