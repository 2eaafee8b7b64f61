// With `--json -` (or --junit, --html) stdout belongs to that report, so the text report moves to stderr.
#include "app/report_output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "app/print_error.hpp"
#include "core/redact_report.hpp"
#include "core/report_annotations.hpp"
#include "core/report_html.hpp"
#include "core/report_json.hpp"
#include "core/report_junit.hpp"
#include "core/report_text.hpp"
#include "os/atomic_write.hpp"
#include "os/clock.hpp"
#include "rules/suggest.hpp"

namespace leakaudit {

namespace {

Color choose_color(const OutputOptions& output, int fd) {
    if (output.no_color || std::getenv("NO_COLOR") || !isatty(fd)) return Color::off;
    const char* term = std::getenv("TERM");
    return term && std::string_view(term) == "dumb" ? Color::off : Color::on;
}

Verbosity choose_verbosity(const OutputOptions& output) {
    if (output.quiet) return Verbosity::quiet;
    return output.show_ignored ? Verbosity::show_ignored : Verbosity::normal;
}

bool wants_github_annotations(const OutputOptions& output) {
    if (!output.annotations.empty()) return output.annotations == "github";
    const char* actions = std::getenv("GITHUB_ACTIONS");
    return actions && std::string_view(actions) == "true";
}

Result<void> write_report_file(const std::string& path, void (*writer)(const Report&, std::ostream&),
                               const Report& report) {
    std::ostringstream text;
    writer(report, text);
    return os::write_output_file(path, text.str(), os::FileMode::report);
}

void write_suggestions(const Report& report, std::ostream& out) {
    std::string snippet =
        suggest_rules(report.findings, report.redacted ? SuggestValues::redacted : SuggestValues::exact);
    if (snippet.empty()) return;
    out << "\n# Rules that would silence these findings (paste into leakaudit.toml):\n" << snippet;
}

}  // namespace

ExitCode emit_report(const Report& unredacted, const OutputOptions& output, const RedactPatterns& extra) {
    Report report = unredacted;
    if (!output.no_redact) redact_report(report, Redactor(extra));
    // Files first, so the summary line can say the real exit code: 4 when one could not
    // be written (README "Exit codes").
    for (auto [path, writer] :
         {std::pair{output.json_path, &write_report_json}, std::pair{output.junit_path, &write_report_junit},
          std::pair{output.html_path, &write_report_html}}) {
        if (path.empty()) continue;
        if (Result<void> written = write_report_file(path, writer, report); !written) {
            print_error(written.error());
            report.exit_code = ExitCode::internal;
        }
    }
    bool report_on_stdout = output.report_on_stdout();
    std::ostream& text_out = report_on_stdout ? std::cerr : std::cout;
    write_report_text(report, os::now_unix_ms(), choose_color(output, report_on_stdout ? 2 : 1),
                      choose_verbosity(output), text_out);
    if (output.suggest_rules) write_suggestions(report, text_out);
    if (wants_github_annotations(output)) write_github_annotations(report, text_out);
    text_out.flush();
    // A text report nobody reads (`| head -c1`, EPIPE) does not change the exit code: the
    // audit happened and its files are written (README "Exit codes").
    if (!text_out && !report_on_stdout)
        std::cerr << "leakaudit: note: standard output is closed: the text report was not shown (exit "
                  << report.exit_code << ")\n";
    return report.exit_code;
}

}  // namespace leakaudit
