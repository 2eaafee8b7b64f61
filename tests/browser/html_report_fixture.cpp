// Writes the fixture report (tests/support/report_fixture.hpp) as HTML to the file named
// by its argument, through the same writer as `leakaudit run --html`: the browser test's
// page with every kind and a cycled run.
#include <fstream>
#include <iostream>

#include "core/report_html.hpp"
#include "support/report_fixture.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: html_report_fixture OUT.html\n";
        return 2;
    }
    std::ofstream out(argv[1], std::ios::binary);
    leakaudit::write_report_html(leakaudit::test::fixture_report(), out);
    out.close();
    return out ? 0 : 1;
}
