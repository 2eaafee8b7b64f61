// Settings precedence: the command line over the rules files' [settings] over defaults.
#include <catch2/catch.hpp>

#include "core/settings.hpp"

using namespace leakaudit;
using namespace std::chrono_literals;

TEST_CASE("with nothing set, the built-in defaults apply", "[settings]") {
    Settings s = resolve_settings({}, {});
    CHECK_FALSE(s.timeout);
    CHECK(s.grace == 2s);
    CHECK(s.exit_timeout == 5s);
    CHECK(s.fail_on == Severity::error);
    CHECK(s.watch == std::vector<std::string>{"/tmp", "/dev/shm"});
}

TEST_CASE("a rules file's [settings] override the defaults", "[settings]") {
    SettingsLayer files{500ms, 10s, 1s, std::vector<std::string>{"/var/tmp"}, Severity::warning};
    Settings s = resolve_settings({}, files);
    CHECK(s.grace == 500ms);
    CHECK(s.timeout == 10s);
    CHECK(s.exit_timeout == 1s);
    CHECK(s.fail_on == Severity::warning);
    CHECK(s.watch == std::vector<std::string>{"/var/tmp"});
}

TEST_CASE("the command line wins over a rules file, setting by setting", "[settings]") {
    SettingsLayer files{500ms, 10s, 1s, std::vector<std::string>{"/var/tmp"}, Severity::warning};
    SettingsLayer command_line;
    command_line.timeout = 3s;
    command_line.fail_on = Severity::info;
    Settings s = resolve_settings(command_line, files);
    CHECK(s.timeout == 3s);
    CHECK(s.fail_on == Severity::info);
    CHECK(s.grace == 500ms);  // not on the command line: the file's
    CHECK(s.watch == std::vector<std::string>{"/var/tmp"});
    command_line.watch = std::vector<std::string>{"/scratch"};
    CHECK(resolve_settings(command_line, files).watch == std::vector<std::string>{"/scratch"});
}

TEST_CASE("watched folders lose their trailing slashes, but / stays /", "[settings]") {
    SettingsLayer command_line;
    command_line.watch = std::vector<std::string>{"/tmp//", "/", "/dev/shm/"};
    CHECK(resolve_settings(command_line, {}).watch == std::vector<std::string>{"/tmp", "/", "/dev/shm"});
}

TEST_CASE("an empty watch list in a rules file watches nothing", "[settings]") {
    SettingsLayer files;
    files.watch = std::vector<std::string>{};
    CHECK(resolve_settings({}, files).watch.empty());
    CHECK(watch_or_default({}) == std::vector<std::string>{"/tmp", "/dev/shm"});
    CHECK(watch_or_default({"/x"}) == std::vector<std::string>{"/x"});
}
