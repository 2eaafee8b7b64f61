// libFuzzer target: any bytes as a rules file. Parsing never crashes, hangs or grows
// without bound; what parses prints, and its patterns match without trouble.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "rules/rule_file.hpp"
#include "rules/rule_printer.hpp"
#include "rules/rule_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    leakaudit::Diagnostics diagnostics;
    leakaudit::RuleFile file = leakaudit::parse_rule_file(text, "fuzz.toml", diagnostics);
    std::ostringstream out;
    for (const leakaudit::Diagnostic& d : diagnostics)
        out << leakaudit::format_diagnostic(d);
    if (diagnostics.empty()) {
        leakaudit::RuleSet rules = leakaudit::RuleSet::builtin();
        rules.merge(std::move(file));
        leakaudit::print_rule_set(rules, out);
    }
    return 0;
}
