// Shared helpers of the end-to-end tests: the built binaries and a JSON report reader.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/processes.hpp"
#include "support/temp_dir.hpp"

namespace leakaudit::test {

inline const std::string k_leakaudit = LEAKAUDIT_BIN;
inline const std::string k_leaky = LEAKY_BIN;

inline std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The test's own watch folder, so parallel tests never see each other's temp entries.
inline std::string watch_dir(const TempDir& dir) {
    std::string path = dir / "watch";
    ::mkdir(path.c_str(), 0755);
    return path;
}

// `leakaudit run OPTIONS --json DIR/report.json [--watch DIR/watch] -- COMMAND`
inline std::vector<std::string> run_args(const TempDir& dir, const std::vector<std::string>& options,
                                         const std::vector<std::string>& command) {
    std::vector<std::string> args{k_leakaudit, "run", "--no-color", "--json", dir / "report.json"};
    if (std::find(options.begin(), options.end(), "--watch") == options.end()) {
        args.push_back("--watch");
        args.push_back(watch_dir(dir));
    }
    args = cat(args, options);
    args.push_back("--");
    return cat(args, command);
}

inline nlohmann::json read_report(const TempDir& dir) {
    return nlohmann::json::parse(read_file(dir / "report.json"), nullptr, false);
}

inline std::vector<nlohmann::json> findings_of(const nlohmann::json& report, const std::string& kind) {
    std::vector<nlohmann::json> out;
    for (const auto& f : report["findings"]) {
        if (f["kind"] == kind) out.push_back(f);
    }
    return out;
}

// The report's findings of severity error.
inline std::vector<nlohmann::json> errors_of(const nlohmann::json& report) {
    std::vector<nlohmann::json> out;
    for (const auto& f : report["findings"]) {
        if (f["severity"] == "error") out.push_back(f);
    }
    return out;
}

// The Node examples (examples/node: harnesses and plugins) the e2e tests run.
inline const std::string k_examples = std::string(LEAKAUDIT_SOURCE_DIR) + "/examples/node";

// One audited run: leakaudit's own result and the JSON report it wrote.
struct Audit {
    ProcessResult result;
    nlohmann::json report;
};

}  // namespace leakaudit::test
