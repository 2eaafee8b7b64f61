// The HTML report on plain data: what a reader of the page depends on (every string
// escaped, nothing loaded from elsewhere, one point per reading, the warm-up shaded,
// every kind shown). The page in a real browser: tests/browser.
#include <catch2/catch.hpp>

#include "core/report_html.hpp"
#include "core/report_html_chart.hpp"
#include "core/text_bytes.hpp"
#include "support/report_fixture.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

// The markup of the first chart for `quantity` (and `what`), or "".
std::string chart_of(const std::string& page, const std::string& quantity, const std::string& what) {
    std::string open = "<svg class=\"chart\" data-quantity=\"" + quantity + "\" data-what=\"" + what + "\"";
    std::size_t at = page.find(open);
    if (at == std::string::npos) return "";
    return page.substr(at, page.find("</svg>", at) + 6 - at);
}

}  // namespace

TEST_CASE("html escape: markup, quotes, control characters and invalid UTF-8", "[html]") {
    CHECK(html_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(html_escape("a\"b'c&d") == "a&quot;b&#39;c&amp;d");
    CHECK(html_escape("tab\there\nnew line") == "tab\there\nnew line");
    // NUL, ESC, DEL, a C1 control, a noncharacter: each would be an HTML5 parse error.
    CHECK(html_escape(std::string("a\0b", 3)) ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(html_escape("\x1b[31m") == "\xEF\xBF\xBD[31m");
    CHECK(html_escape("\x7f") == "\xEF\xBF\xBD");
    CHECK(html_escape("\xC2\x85") == "\xEF\xBF\xBD");
    CHECK(html_escape("\xEF\xBF\xBF") == "\xEF\xBF\xBD");
    // Invalid UTF-8: each bad byte is one U+FFFD, valid characters around it survive.
    CHECK(html_escape("caf\xC3\xA9 \xFF\xFE /tmp/\xC3") == "caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD /tmp/\xEF\xBF\xBD");
    CHECK(html_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST_CASE("html report: strings from /proc cannot inject markup or break the page", "[html]") {
    Report r = fixture_report();
    r.command = {"sh", "-c", "echo \"<script>alert('x')</script>\""};
    r.findings[0].message = "</article><script>document.write(1)</script>";
    r.findings[0].process->cmdline = {"evil\xFF\xFE", "<img src=x onerror=alert(1)>"};
    r.warnings.push_back("bad name \x1b]0;title\x07 here");
    r.cycles->series[0].what = "pipe\" onload=\"alert(1)";
    std::string page = report_html(r);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("onload=\"") == std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(page.find("data-what=\"pipe&quot; onload=&quot;alert(1)\"") != std::string::npos);
    CHECK(is_valid_utf8(page));
    CHECK(page.find('\x1b') == std::string::npos);
    CHECK(page.find("evil\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("html report: loads nothing from anywhere and runs no script", "[html]") {
    std::string page = report_html(fixture_report());
    CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    CHECK(page.find("http://") == std::string::npos);
    CHECK(page.find("https://") == std::string::npos);
    CHECK(page.find("src=") == std::string::npos);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("url(") == std::string::npos);
    CHECK(page.find("@import") == std::string::npos);
    // The browser enforces it too: nothing but the inline style may load.
    CHECK(page.find("content=\"default-src 'none'; style-src 'unsafe-inline'\"") != std::string::npos);
}

TEST_CASE("html chart: one point per reading taken, none for a missing one", "[html]") {
    Series s = fixture_series(Quantity::descriptors, "pipe", {2, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    std::string svg = series_chart_svg(s, 2);
    CHECK(count_of(svg, "<circle class=\"point\"") == 11);
    for (int i = 0; i <= 10; ++i)
        CHECK(svg.find("data-cycle=\"" + std::to_string(i) + "\"") != std::string::npos);
    s.values[4] = Series::k_missing;
    CHECK(count_of(series_chart_svg(s, 2), "<circle class=\"point\"") == 10);
    CHECK(count_of(series_chart_svg(fixture_series(Quantity::threads, "", {3}), 0), "<circle class=\"point\"") == 1);
    CHECK(count_of(series_chart_svg(fixture_series(Quantity::threads, "", {}), 0), "<circle class=\"point\"") == 0);
}

TEST_CASE("html chart: warm-up cycles are shaded and their points marked", "[html]") {
    Series s = fixture_series(Quantity::descriptors, "pipe", {2, 5, 5, 6, 7, 8});
    std::string svg = series_chart_svg(s, 2);
    CHECK(count_of(svg, "<rect class=\"warmup\"") == 1);
    CHECK(count_of(svg, "data-warmup=\"true\"") == 2);
    CHECK(svg.find("data-cycle=\"1\" data-value=\"5\" data-warmup=\"true\"") != std::string::npos);
    CHECK(svg.find("data-cycle=\"3\" data-value=\"6\" data-warmup") == std::string::npos);
    std::string no_warmup = series_chart_svg(s, 0);
    CHECK(no_warmup.find("class=\"warmup\"") == std::string::npos);
    CHECK(no_warmup.find("data-warmup=\"true\"") == std::string::npos);
}

TEST_CASE("html chart: the title names the quantity and its growth per judged cycle", "[html]") {
    Series pipes = fixture_series(Quantity::descriptors, "pipe", {2, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    REQUIRE(per_cycle_change(pipes, 2));
    CHECK(*per_cycle_change(pipes, 2) == Approx(1.0));  // 5 → 13 over cycles 2..10
    std::string svg = series_chart_svg(pipes, 2);
    CHECK(svg.find("<title>descriptors pipe: +1 per cycle (10 cycles, 2 warm-up)</title>") != std::string::npos);
    CHECK(svg.find("class=\"axis-label\"") != std::string::npos);
    Series heap = fixture_cycles().series[2];
    CHECK(series_chart_svg(heap, 2).find("heap_bytes: +1.0 MiB per cycle") != std::string::npos);
}

TEST_CASE("html chart: which series are charted", "[html]") {
    CycleRun c = fixture_cycles();
    std::vector<const Series*> charted = charted_series(c);
    REQUIRE(charted.size() == 2);  // pipes and heap grew; threads only wobbled
    CHECK(charted[0]->quantity == Quantity::descriptors);
    CHECK(charted[1]->quantity == Quantity::heap_bytes);
    // A one-time cache in the warm-up is not growth; with nothing grown, what changed is shown.
    CycleRun cache;
    cache.warmup = 2;
    cache.series = {fixture_series(Quantity::descriptors, "file", {3, 4, 4, 4, 4, 4}),
                    fixture_series(Quantity::threads, "", {5, 5, 5, 5, 5, 5})};
    CHECK_FALSE(series_grew(cache.series[0], 2));
    charted = charted_series(cache);
    REQUIRE(charted.size() == 1);
    CHECK(charted[0]->what == "file");
    CycleRun flat;
    flat.series = {fixture_series(Quantity::threads, "", {5, 5, 5})};
    CHECK(charted_series(flat).empty());
}

TEST_CASE("html report: a cycled run has a chart per grown series", "[html]") {
    std::string page = report_html(fixture_report());
    std::string pipes = chart_of(page, "descriptors", "pipe");
    REQUIRE_FALSE(pipes.empty());
    CHECK(count_of(pipes, "<circle class=\"point\"") == 11);
    CHECK(count_of(page, "<svg class=\"chart\"") == 2);
    CHECK(chart_of(page, "threads", "").empty());
    CHECK(page.find("pipe:[9003]") != std::string::npos);  // what appeared in a cycle
    CHECK(page.find("<details class=\"readings\">") != std::string::npos);
}

TEST_CASE("html report: an empty report is a complete page that says so", "[html]") {
    Report r;
    std::string page = report_html(r);
    CHECK(page.starts_with("<!DOCTYPE html>"));
    CHECK(page.ends_with("</html>\n"));
    CHECK(page.find("No findings") != std::string::npos);
    CHECK(page.find("id=\"cycles\"") == std::string::npos);
    CHECK(page.find("id=\"processes\"") == std::string::npos);
    CHECK(page.find("verdict-ok") != std::string::npos);
    CHECK(page.find("<svg") == std::string::npos);
}

TEST_CASE("html report: every kind, grouped by severity then kind, with its details", "[html]") {
    Report r = fixture_report();
    std::string page = report_html(r);
    for (const KindInfo& info : k_kinds)
        CHECK(page.find("data-kind=\"" + std::string(info.name) + "\"") != std::string::npos);
    // Severity groups in order: error before warning before the folded ignored ones.
    std::size_t error = page.find("data-severity=\"error\"");
    std::size_t warning = page.find("data-severity=\"warning\"");
    std::size_t ignored = page.find("<details class=\"severity\" data-severity=\"ignore\">");
    REQUIRE(error != std::string::npos);
    REQUIRE(warning != std::string::npos);
    REQUIRE(ignored != std::string::npos);
    CHECK(error < warning);
    CHECK(warning < ignored);
    CHECK(page.find("leakaudit.toml#2 (log-file): the log stays open") != std::string::npos);
    CHECK(page.find("src/plugin.mjs:41:5") != std::string::npos);        // a handle's creation site
    CHECK(page.find("start src/plugin.mjs:41:5") != std::string::npos);  // and its stack
    CHECK(page.find("process &#39;exit&#39;") != std::string::npos);
    CHECK(page.find("tcp listen 127.0.0.1:41234") != std::string::npos);
    CHECK(page.find("fd 9 pipe pipe:[4242]") != std::string::npos);
    CHECK(page.find("la-fixture-run") != std::string::npos);
    CHECK(page.find("leaks: ") != std::string::npos);
    CHECK(page.find("id=\"reaped\"") != std::string::npos);
    CHECK(page.find("id=\"cleaned\"") != std::string::npos);
    CHECK(page.find("/proc/1/fd: permission denied") != std::string::npos);
}

TEST_CASE("html report: leaked processes nest under the process that started them", "[html]") {
    std::string page = report_html(fixture_report());
    std::size_t tree = page.find("<ul class=\"tree\">");
    REQUIRE(tree != std::string::npos);
    // How deep `at` is in the tree's nested lists: 1 for a root, 2 for its children.
    auto depth = [&](std::size_t at) {
        std::string part = page.substr(tree, at - tree);
        return static_cast<int>(count_of(part, "<ul")) - static_cast<int>(count_of(part, "</ul>"));
    };
    std::size_t browser = page.find("<strong>600 chromium</strong>");
    std::size_t helper_1 = page.find("<strong>601 chromium</strong>");
    std::size_t helper_2 = page.find("<strong>602 chromium</strong>");
    REQUIRE(browser != std::string::npos);
    REQUIRE(helper_1 != std::string::npos);
    REQUIRE(helper_2 != std::string::npos);
    CHECK(depth(browser) == 1);
    CHECK(depth(helper_1) == 2);
    CHECK(depth(helper_2) == 2);
    CHECK(browser < helper_1);
    CHECK(page.find("holds 127.0.0.1:9222 listening") > browser);
}

TEST_CASE("html report: a loop in parent_in_run still draws each process once", "[html]") {
    Report r;
    for (auto [pid, parent] : {std::pair{700, 701}, std::pair{701, 700}}) {
        Finding f = fixture_finding(Kind::process, Severity::error, "process:" + std::to_string(pid), "loop");
        f.process = fixture_process(pid, parent, {"x"});
        f.parent_in_run = parent;
        r.findings.push_back(f);
    }
    std::string page = report_html(r);
    CHECK(count_of(page, "<strong>700 x</strong>") == 1);
    CHECK(count_of(page, "<strong>701 x</strong>") == 1);
}

TEST_CASE("html report: what a leaked process holds is listed up to a bound", "[html]") {
    Report r;
    Finding f = fixture_finding(Kind::process, Severity::error, "process:1", "a browser");
    f.process = fixture_process(800, 1, {"chromium"});
    for (int i = 0; i < 60; ++i) {
        HeldResource h;
        h.text = "holds /dev/shm/.org.chromium." + std::to_string(i);
        f.resources.push_back(h);
    }
    r.findings.push_back(f);
    std::string page = report_html(r);
    CHECK(count_of(page, "holds /dev/shm/.org.chromium.") == 50);
    CHECK(page.find("… and 10 more (all in the JSON report)") != std::string::npos);
}

namespace {

// Three findings made below one call of the plugin (a process, its socket, a listener)
// and one temp folder with no site: core/finding_group.hpp groups the three.
Report one_call_report() {
    Report r;
    r.harness.started = true;
    r.harness.exit_code = 0;
    SourceSite below;
    below.site = "node_modules/launcher/launch.js:96 ← plugins/leak-browser.mjs:5 ← host.mjs:7";
    below.user_file = "plugins/leak-browser.mjs";
    below.user_line = 5;
    Finding p = fixture_finding(Kind::process, Severity::error, "process:1", "leaked chromium");
    p.process = fixture_process(6160, 1, {"chromium", "--headless"});
    p.handle = Handle{"ProcessWrap", "child pid 6160", true, 1, below};
    Finding ws = fixture_finding(Kind::handle, Severity::error, "handle:2", "a websocket still alive");
    ws.handle = Handle{"TCPWRAP", "socket", true, 1, below};
    Finding l = fixture_finding(Kind::listener, Severity::warning, "listener:3", "an exit listener still attached");
    l.listener = Listener{"process", "exit", 1, below};
    Finding t = fixture_finding(Kind::tmp, Severity::error, "tmp:4", "temp folder /tmp/profile-x left behind");
    r.findings = {p, ws, t, l};
    r.exit_code = decide_exit_code(r);
    return r;
}

}  // namespace

TEST_CASE("html report: findings below one call of the user's code come under one heading", "[html][groups]") {
    std::string page = report_html(one_call_report());
    INFO(page);
    CHECK(count_of(page, "<section class=\"site-group\"") == 1);
    std::size_t group = page.find(
        "<section class=\"site-group\" data-site=\"plugins/leak-browser.mjs:5\"><h3>"
        "<code>plugins/leak-browser.mjs:5</code> — 3 leaks from one call</h3>");
    REQUIRE(group != std::string::npos);
    std::size_t group_end = page.find("</section>", group);
    // Its three members, the warning among them, are under it, each listed once.
    for (const char* id : {"process:1", "handle:2", "listener:3"}) {
        std::size_t at = page.find(std::string("<code>") + id + "</code>");
        CHECK(at > group);
        CHECK(at < group_end);
        CHECK(count_of(page, std::string("<dt>id</dt><dd><code>") + id + "</code>") == 1);
    }
    // In the severity section of its first member; the folder stays under its kind.
    CHECK(group > page.find("data-severity=\"error\""));
    CHECK(page.find("data-kind=\"tmp\"") > group_end);
    CHECK(page.find("data-kind=\"handle\"") == std::string::npos);
    CHECK(page.find("data-kind=\"listener\"") == std::string::npos);
    CHECK(page.find("data-severity=\"warning\"") == std::string::npos);
    // The summary says from how many sites, as the text report's summary line does.
    CHECK(page.find("<p class=\"sites\" id=\"sites\">from 2 sites") != std::string::npos);
}

TEST_CASE("html report: without shared sites there is no group heading and no site count", "[html][groups]") {
    Report r = one_call_report();
    r.findings.erase(r.findings.begin(), r.findings.begin() + 2);  // the folder and one listener
    std::string page = report_html(r);
    CHECK(page.find("class=\"site-group\"") == std::string::npos);
    CHECK(page.find("leaks from one call") == std::string::npos);
    CHECK(page.find("id=\"sites\"") == std::string::npos);
    CHECK(page.find("data-kind=\"listener\"") != std::string::npos);
}
